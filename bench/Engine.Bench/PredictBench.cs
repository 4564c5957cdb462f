using System.Diagnostics;
using BackpropService.Engine.Data;
using BackpropService.Engine.Export;
using BackpropService.Engine.LinearAlgebra;
using Microsoft.ML.OnnxRuntime;

namespace BackpropService.Engine.Bench;

/// <summary>
/// W3 ("predict"): the W2 network, inference only, float[] in and a new float[] of probabilities out.
/// One sample: p50 and p99 of 10,000 calls after 2,000 warm-up calls (on 100 test images in turn).
/// One batch of 2000 (the test set): median of 30 calls after 50 warm-ups. Run with our engine and with
/// ONNX Runtime on the same weights in the same process, as the reference OnnxBench calls it (OrtValue API).
/// </summary>
internal static class PredictBench
{
    private const int WarmUpCalls = 2000, TimedCalls = 10_000, BatchWarmUps = 50, BatchCalls = 30;

    public static void Run(TrainedModel model, MnistData data, BenchOptions bench)
    {
        Dataset test = data.Test;
        float[][] samples = Enumerable.Range(0, 100).Select(i => test.Input(i).ToArray()).ToArray();
        int outputs = model.Outputs;
        Network<float> network = model.Network;
        network.Threads = bench.Threads;
        NetworkWorkspace<float> workspace = network.CreateWorkspace(test.Samples);

        float[] PredictOne(float[] input)
        {
            var output = new float[outputs];
            model.Predict(input, output);
            return output;
        }

        float[] PredictBatch(float[] inputs, int rows)
        {
            return network.Infer(inputs, rows, workspace).ToArray();
        }

        Measure("engine", PredictOne, PredictBatch, test, samples, bench);
        Report.Note($"engine batch output bits: {Checksum(PredictBatch(test.Inputs, test.Samples)):x16} (kernels: {Gemm.InstructionSet})");

        byte[] onnx = OnnxExporter.Export(model, "W3", 1);
        using var options = new SessionOptions
        {
            IntraOpNumThreads = bench.Threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        using var session = new InferenceSession(onnx, options);
        using var runOptions = new RunOptions();
        string[] inputNames = ["input"], outputNames = ["output"];

        float[] RunOrt(float[] inputs, int rows)
        {
            using OrtValue input = OrtValue.CreateTensorValueFromMemory(inputs, [rows, network.Inputs]);
            using IDisposableReadOnlyCollection<OrtValue> results = session.Run(runOptions, inputNames, [input], outputNames);
            return results[0].GetTensorDataAsSpan<float>().ToArray();
        }

        CheckAgreement(PredictOne(samples[0]), RunOrt(samples[0], 1));
        Report.Note($"onnxruntime {OrtEnv.Instance().GetVersionString()} model={onnx.Length} bytes, same weights, outputs agree");
        Measure("ort_inproc", x => RunOrt(x, 1), RunOrt, test, samples, bench);
    }

    private static void Measure(string library, Func<float[], float[]> one, Func<float[], int, float[]> batch, Dataset test, float[][] samples, BenchOptions bench)
    {
        int warmUps = bench.Smoke ? 200 : WarmUpCalls, calls = bench.Smoke ? 1000 : TimedCalls;
        float sink = 0;
        for (int i = 0; i < warmUps; i++) sink += one(samples[i % samples.Length])[0];
        var latencies = new double[calls];
        for (int i = 0; i < calls; i++)
        {
            long started = Stopwatch.GetTimestamp();
            float[] result = one(samples[i % samples.Length]);
            latencies[i] = Report.Microseconds(Stopwatch.GetTimestamp() - started);
            sink += result[0];
        }

        float[] inputs = test.Inputs;
        int rows = test.Samples;
        int batchWarmUps = bench.Smoke ? 3 : BatchWarmUps, batchCalls = bench.Smoke ? 5 : BatchCalls;
        for (int i = 0; i < batchWarmUps; i++) sink += batch(inputs, rows)[0];
        var seconds = new List<double>();
        for (int i = 0; i < batchCalls; i++)
        {
            long started = Stopwatch.GetTimestamp();
            float[] result = batch(inputs, rows);
            seconds.Add(Stopwatch.GetElapsedTime(started).TotalSeconds);
            sink += result[0];
        }

        double p50 = Report.Median(latencies), batchSeconds = Report.Median(seconds);
        Report.Result($"{library}.W3.t{bench.Threads}",
            ("p50_us", p50), ("p99_us", Report.Percentile(latencies, 99)), ("single_per_s", 1e6 / p50),
            ("batch2000_ms", batchSeconds * 1e3), ("batch_samples_per_s", rows / batchSeconds));
        if (sink == 12345) Report.Note("sink");
    }

    /// <summary>FNV-1a over the bits of the values: equal bits, equal checksum.</summary>
    private static ulong Checksum(ReadOnlySpan<float> values)
    {
        ulong hash = 14695981039346656037;
        foreach (float value in values) hash = (hash ^ BitConverter.SingleToUInt32Bits(value)) * 1099511628211;
        return hash;
    }

    private static void CheckAgreement(float[] engine, float[] onnx)
    {
        if (engine.Length != onnx.Length) throw new InvalidOperationException($"engine gives {engine.Length} outputs, ONNX Runtime {onnx.Length}.");
        for (int i = 0; i < engine.Length; i++)
        {
            if (MathF.Abs(engine[i] - onnx[i]) > 1e-4f)
                throw new InvalidOperationException($"output {i}: engine {engine[i]}, ONNX Runtime {onnx[i]}: the exported model does not match.");
        }
    }
}
