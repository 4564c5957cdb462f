// Engine benchmarks beside the references (../shared/reference-bench): W1, W2, W3, W4 (and ONNX Runtime on the
// same W3 network, in this process), SGEMM 1024³, W4's convolution kernels, the FMA peak, allocated bytes per mini-batch, and CSV reading.
// Usage: dotnet BackpropService.Engine.Bench.dll --part w1|w2|w3|w4|gemm|peak|conv|csv|all --threads 1|2 [--seed N] [--epochs N] [--data DIR] [--smoke] [--avx2]
using System.Runtime.Intrinsics.X86;
using BackpropService.Engine;
using BackpropService.Engine.Bench;
using BackpropService.Engine.LinearAlgebra;
using BackpropService.Engine.Training;

BenchOptions bench = BenchOptions.Parse(args);
Gemm.AllowAvx512 = !bench.Avx2;
Report.Note($"engine bench part={bench.Part} threads={bench.Threads} seed={bench.Seed} epochs={bench.Epochs} smoke={bench.Smoke} " +
            $"cores={Environment.ProcessorCount} avx2={Avx2.IsSupported} fma={Fma.IsSupported} gemm={Gemm.InstructionSet}");

double peak = double.NaN;
if (bench.Wants("peak") || bench.Wants("gemm") || bench.Wants("conv"))
{
    (double median, double best) = FmaPeak.Measure(bench.Threads, bench.Smoke ? 10_000_000 : 200_000_000, bench.Smoke ? 1 : 5);
    Report.Result($"engine.peak_fma_fp32.t{bench.Threads}", ("gflops", median), ("gflops_best", best));
    peak = median;
}

MnistData? data = bench.Wants("w1") || bench.Wants("w2") || bench.Wants("w3") || bench.Wants("w4") ? MnistData.Load(bench.DataDirectory) : null;
if (bench.Wants("w1")) TrainingBench.Run("W1", TrainingBench.W1(bench), data!, bench);
TrainedModel? modern = bench.Wants("w2") ? TrainingBench.Run("W2", TrainingBench.W2(bench), data!, bench) : null;
if (bench.Wants("w3"))
    PredictBench.Run(modern ?? Trainer.Start(data!.Train, TrainingBench.W2(bench)).CreateModel(), data!, bench); // untrained He weights: speed only
if (bench.Wants("w4")) TrainingBench.Run("W4", TrainingBench.W4(bench), data!, bench);
if (bench.Wants("gemm")) GemmBench.Run(bench, peak);
if (bench.Wants("conv")) ConvolutionBench.Run(bench, peak);
if (bench.Wants("csv")) CsvBench.Run(bench);
