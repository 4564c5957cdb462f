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
/// <remarks>
/// Each loop is a band kernel (<see cref="IBand"/>): a small struct that holds the call's arguments and computes the
/// samples of one band. <see cref="InBands"/> decides how to split the batch and runs the kernel; the kernel is a type
/// argument, not a delegate, so a call allocates nothing and the JIT compiles each loop straight in.
/// </remarks>
internal static unsafe class SampleBands
{
    /// <summary>Fewer values than this per thread run on the calling thread alone.</summary>
    internal const int MinValuesPerThread = 8192;

    /// <summary>aˡ = σ(zˡ) for <paramref name="rows"/> samples of <paramref name="width"/> values.</summary>
    public static void ActivationForward<T>(Activation activation, ReadOnlySpan<T> weightedInput, Span<T> output, int width, int rows, int threads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        long values = (long)rows * width;
        Need(weightedInput.Length, values, nameof(weightedInput));
        Need(output.Length, values, nameof(output));
        fixed (T* z = weightedInput, a = output)
            InBands(new ActivationForwardBand<T>(activation, z, a, width), rows, width, threads);
    }

    /// <summary>BP1/BP2's ⊙ σ'(zˡ): turns ∂C/∂aˡ into δˡ in place, for <paramref name="rows"/> samples of <paramref name="width"/> values.</summary>
    public static void ActivationBackward<T>(Activation activation, ReadOnlySpan<T> weightedInput, ReadOnlySpan<T> output, Span<T> gradient,
        int width, int rows, int threads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        long values = (long)rows * width;
        Need(weightedInput.Length, values, nameof(weightedInput));
        Need(output.Length, values, nameof(output));
        Need(gradient.Length, values, nameof(gradient));
        fixed (T* z = weightedInput, a = output, g = gradient)
            InBands(new ActivationBackwardBand<T>(activation, z, a, g, width), rows, width, threads);
    }

    /// <summary><see cref="MaxPooling.Forward{T}"/> with the samples split between threads.</summary>
    public static void PoolForward<T>(ReadOnlySpan<T> input, Span<T> output, Span<int> winners, TensorShape inputShape, int size, int rows, int threads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var pool = new PoolSizes(inputShape, size);
        Need(input.Length, (long)rows * pool.InputLength, nameof(input));
        Need(output.Length, (long)rows * pool.OutputLength, nameof(output));
        Need(winners.Length, (long)rows * pool.OutputLength, nameof(winners));
        fixed (T* a = input, o = output)
        fixed (int* w = winners)
            InBands(new PoolForwardBand<T>(a, o, w, pool), rows, pool.InputLength, threads);
    }

    /// <summary><see cref="MaxPooling.Backpropagate{T}"/> with the samples split between threads.</summary>
    public static void PoolBackward<T>(ReadOnlySpan<T> delta, ReadOnlySpan<int> winners, Span<T> inputError, TensorShape inputShape, int size, int rows,
        int threads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var pool = new PoolSizes(inputShape, size);
        Need(delta.Length, (long)rows * pool.OutputLength, nameof(delta));
        Need(winners.Length, (long)rows * pool.OutputLength, nameof(winners));
        Need(inputError.Length, (long)rows * pool.InputLength, nameof(inputError));
        fixed (T* d = delta, e = inputError)
        fixed (int* w = winners)
            InBands(new PoolBackwardBand<T>(d, w, e, pool), rows, pool.InputLength, threads);
    }

    /// <summary>
    /// Runs <paramref name="band"/> over <paramref name="rows"/> samples of <paramref name="valuesPerRow"/> values: on the
    /// calling thread for a small batch, else split into bands of whole samples, one per thread of the worker team.
    /// </summary>
    private static void InBands<TBand>(TBand band, int rows, int valuesPerRow, int threads)
        where TBand : struct, IBand
    {
        int parts = Math.Clamp((int)Math.Min((long)rows * valuesPerRow / MinValuesPerThread, Math.Min(threads, rows)), 1, WorkerTeam.MaxParts);
        if (parts == 1)
        {
            band.Run(0, rows);
            return;
        }
        Work<TBand> work = Work<TBand>.ForThisThread;
        work.Set(band, rows);
        try
        {
            WorkerTeam.Run(work, parts);
        }
        finally
        {
            work.Clear();
        }
    }

    // The bands read and write through pointers, past the spans' bounds checks: the lengths are checked here, once.
    private static void Need(int length, long needed, string name)
    {
        if (length < needed) throw new ArgumentException($"{name} holds {length} values; the batch needs {needed}.", name);
    }

    /// <summary>Samples [<paramref name="start"/>, <paramref name="start"/> + <paramref name="count"/>) of a batch of <paramref name="width"/> values each.</summary>
    private static Span<TValue> Samples<TValue>(TValue* batch, int start, int count, int width)
        where TValue : unmanaged =>
        new(batch + (long)start * width, count * width);

    /// <summary>What one band computes: samples [start, start + count) of the call, writing only theirs.</summary>
    private interface IBand
    {
        void Run(int start, int count);
    }

    private readonly struct ActivationForwardBand<T>(Activation activation, T* weightedInput, T* output, int width) : IBand
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run(int start, int count) =>
            activation.Forward<T>(Samples(weightedInput, start, count, width), Samples(output, start, count, width), width);
    }

    private readonly struct ActivationBackwardBand<T>(Activation activation, T* weightedInput, T* output, T* gradient, int width) : IBand
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run(int start, int count) =>
            activation.BackpropagateInPlace<T>(Samples(weightedInput, start, count, width), Samples(output, start, count, width),
                Samples(gradient, start, count, width), width);
    }

    /// <summary>A pool's window and the values one sample has before and after it.</summary>
    private readonly struct PoolSizes(TensorShape inputShape, int size)
    {
        public TensorShape InputShape => inputShape;
        public int Size => size;
        public int InputLength { get; } = (int)inputShape.Length;
        public int OutputLength { get; } = inputShape.Channels * (inputShape.Height / size) * (inputShape.Width / size);
    }

    private readonly struct PoolForwardBand<T>(T* input, T* output, int* winners, PoolSizes pool) : IBand
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run(int start, int count) =>
            MaxPooling.Forward<T>(Samples(input, start, count, pool.InputLength), Samples(output, start, count, pool.OutputLength),
                Samples(winners, start, count, pool.OutputLength), pool.InputShape, pool.Size, count);
    }

    private readonly struct PoolBackwardBand<T>(T* delta, int* winners, T* inputError, PoolSizes pool) : IBand
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run(int start, int count) =>
            MaxPooling.Backpropagate<T>(Samples(delta, start, count, pool.OutputLength), Samples(winners, start, count, pool.OutputLength),
                Samples(inputError, start, count, pool.InputLength), pool.InputShape, pool.Size, count);
    }

    /// <summary>One call split into sample bands; one per kernel type and calling thread, reused, so a call allocates nothing.</summary>
    private sealed class Work<TBand> : ParallelWork
        where TBand : struct, IBand
    {
        [ThreadStatic] private static Work<TBand>? t_work;

        private TBand _band;
        private int _rows;

        public static Work<TBand> ForThisThread => t_work ??= new Work<TBand>();

        public void Set(TBand band, int rows) => (_band, _rows) = (band, rows);

        /// <summary>Forgets the call: its activation and the addresses of its buffers, which are pinned only during it.</summary>
        public void Clear() => _band = default;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override void Execute(int part, int parts)
        {
            (int start, int end) = ProductPartition.Band(_rows, 1, part, parts);
            if (end > start) _band.Run(start, end - start);
        }
    }
}
