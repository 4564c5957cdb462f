using System.Numerics;
using System.Runtime.CompilerServices;
using BackpropService.Engine.Activations;
using BackpropService.Engine.LinearAlgebra;

namespace BackpropService.Engine.Layers;

/// <summary>
/// The layers' element-wise loops around the products (σ, its derivative in BP2, the pools) run on the engine's
/// <see cref="WorkerTeam"/>, each thread taking a band of whole samples. Every value is computed by the same code
/// whatever band it falls in, so the results are bit-identical for any thread count. Small batches (the dense
/// layers' few thousand values) stay on the calling thread: handing them over would cost more than the loop.
/// </summary>
internal static unsafe class SampleBands
{
    /// <summary>Fewer values than this per thread run on the calling thread alone.</summary>
    internal const int MinValuesPerThread = 8192;

    /// <summary>aˡ = σ(zˡ) for <paramref name="rows"/> samples of <paramref name="width"/> values.</summary>
    public static void ActivationForward<T>(Activation activation, ReadOnlySpan<T> weightedInput, Span<T> output, int width, int rows, int threads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int parts = Parts(rows, width, threads);
        if (parts == 1)
        {
            activation.Forward(weightedInput[..(rows * width)], output[..(rows * width)], width);
            return;
        }
        fixed (T* z = weightedInput, a = output)
            Run(Operation.ActivationForward, activation, z, a, null, null, width, width, default, 0, rows, parts);
    }

    /// <summary>BP1/BP2's ⊙ σ'(zˡ): turns ∂C/∂aˡ into δˡ in place, for <paramref name="rows"/> samples of <paramref name="width"/> values.</summary>
    public static void ActivationBackward<T>(Activation activation, ReadOnlySpan<T> weightedInput, ReadOnlySpan<T> output, Span<T> gradient,
        int width, int rows, int threads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int parts = Parts(rows, width, threads);
        if (parts == 1)
        {
            activation.BackpropagateInPlace(weightedInput[..(rows * width)], output[..(rows * width)], gradient[..(rows * width)], width);
            return;
        }
        fixed (T* z = weightedInput, a = output, g = gradient)
            Run(Operation.ActivationBackward, activation, z, a, g, null, width, width, default, 0, rows, parts);
    }

    /// <summary><see cref="MaxPooling.Forward{T}"/> with the samples split between threads.</summary>
    public static void PoolForward<T>(ReadOnlySpan<T> input, Span<T> output, Span<int> winners, TensorShape inputShape, int size, int rows, int threads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int inputLength = (int)inputShape.Length, outputLength = inputShape.Channels * (inputShape.Height / size) * (inputShape.Width / size);
        int parts = Parts(rows, inputLength, threads);
        if (parts == 1)
        {
            MaxPooling.Forward(input, output, winners, inputShape, size, rows);
            return;
        }
        Need(input.Length, rows * inputLength, output.Length, winners.Length, rows * outputLength);
        fixed (T* a = input, o = output)
        fixed (int* w = winners)
            Run(Operation.PoolForward, null, a, o, null, w, inputLength, outputLength, inputShape, size, rows, parts);
    }

    /// <summary><see cref="MaxPooling.Backpropagate{T}"/> with the samples split between threads.</summary>
    public static void PoolBackward<T>(ReadOnlySpan<T> delta, ReadOnlySpan<int> winners, Span<T> inputError, TensorShape inputShape, int size, int rows,
        int threads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int inputLength = (int)inputShape.Length, outputLength = inputShape.Channels * (inputShape.Height / size) * (inputShape.Width / size);
        int parts = Parts(rows, inputLength, threads);
        if (parts == 1)
        {
            MaxPooling.Backpropagate(delta, winners, inputError, inputShape, size, rows);
            return;
        }
        Need(inputError.Length, rows * inputLength, delta.Length, winners.Length, rows * outputLength);
        fixed (T* d = delta, e = inputError)
        fixed (int* w = winners)
            Run(Operation.PoolBackward, null, d, e, null, w, inputLength, outputLength, inputShape, size, rows, parts);
    }

    private static int Parts(int rows, int width, int threads) =>
        Math.Clamp((int)Math.Min((long)rows * width / MinValuesPerThread, Math.Min(threads, rows)), 1, WorkerTeam.MaxParts);

    // The pointer paths skip the spans' bounds, so check them here as the one-thread paths do.
    private static void Need(int input, long inputNeeded, int output, int winners, long outputNeeded)
    {
        if (input < inputNeeded || output < outputNeeded || winners < outputNeeded)
            throw new ArgumentException($"spans too short for the batch: {input} / {output} / {winners} values, need {inputNeeded} / {outputNeeded}.");
    }

    private enum Operation { ActivationForward, ActivationBackward, PoolForward, PoolBackward }

    private static void Run<T>(Operation operation, Activation? activation, T* first, T* second, T* third, int* winners, int firstWidth,
        int secondWidth, TensorShape shape, int size, int rows, int parts)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Work<T> work = Work<T>.ForThisThread;
        work.Set(operation, activation, first, second, third, winners, firstWidth, secondWidth, shape, size, rows);
        try
        {
            WorkerTeam.Run(work, parts);
        }
        finally
        {
            work.Clear();
        }
    }

    /// <summary>One call split into sample bands; reused per calling thread, so a call allocates nothing.</summary>
    private sealed class Work<T> : ParallelWork
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [ThreadStatic] private static Work<T>? t_work;

        private Operation _operation;
        private Activation? _activation;
        private T* _first, _second, _third;
        private int* _winners;
        private int _firstWidth, _secondWidth, _size, _rows;
        private TensorShape _shape;

        public static Work<T> ForThisThread => t_work ??= new Work<T>();

        public void Set(Operation operation, Activation? activation, T* first, T* second, T* third, int* winners, int firstWidth, int secondWidth,
            TensorShape shape, int size, int rows)
        {
            (_operation, _activation) = (operation, activation);
            _first = first;
            _second = second;
            _third = third;
            _winners = winners;
            (_firstWidth, _secondWidth, _shape, _size, _rows) = (firstWidth, secondWidth, shape, size, rows);
        }

        public void Clear() => _activation = null;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override void Execute(int part, int parts)
        {
            (int start, int end) = ProductPartition.Band(_rows, 1, part, parts);
            int count = end - start;
            if (count <= 0) return;
            int first = _firstWidth, second = _secondWidth;
            switch (_operation)
            {
                case Operation.ActivationForward:
                    _activation!.Forward(new ReadOnlySpan<T>(_first + (long)start * first, count * first),
                        new Span<T>(_second + (long)start * first, count * first), first);
                    break;
                case Operation.ActivationBackward:
                    _activation!.BackpropagateInPlace(new ReadOnlySpan<T>(_first + (long)start * first, count * first),
                        new ReadOnlySpan<T>(_second + (long)start * first, count * first), new Span<T>(_third + (long)start * first, count * first), first);
                    break;
                case Operation.PoolForward:
                    MaxPooling.Forward(new ReadOnlySpan<T>(_first + (long)start * first, count * first), new Span<T>(_second + (long)start * second, count * second),
                        new Span<int>(_winners + (long)start * second, count * second), _shape, _size, count);
                    break;
                default:
                    MaxPooling.Backpropagate(new ReadOnlySpan<T>(_first + (long)start * second, count * second),
                        new ReadOnlySpan<int>(_winners + (long)start * second, count * second), new Span<T>(_second + (long)start * first, count * first),
                        _shape, _size, count);
                    break;
            }
        }
    }
}
