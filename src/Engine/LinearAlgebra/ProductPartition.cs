namespace BackpropService.Engine.LinearAlgebra;

/// <summary>
/// How a product C[m×n] is shared among threads: into how many parts, split along C's rows or its columns, and
/// which band of rows or columns each part computes. Never along k, so every element of C is one thread's sum and
/// the result has the same bits whatever the number of threads.
/// </summary>
internal static class ProductPartition
{
    /// <summary>Products smaller than this many multiply-adds stay on one thread (a hand-off costs a few µs).</summary>
    private const long ParallelThreshold = 1L << 20;

    /// <summary>How many parts to run an m×n×k product in, on up to <paramref name="threads"/> threads.</summary>
    public static int Parts(int m, int n, int k, int threads) =>
        threads <= 1 || (long)m * n * k < ParallelThreshold ? 1 : Math.Min(threads, WorkerTeam.MaxParts);

    /// <summary>
    /// A band of neurons (rows of Wˡ) that one thread owns through a training step: the columns of z = a·Wᵀ it computes
    /// forward (the products' wide sliver), the rows of ∂Wˡ it computes in BP4 (<see cref="ProductSplit.NeuronRows"/>)
    /// and the rows of θ it then updates (<c>Training.ParameterUpdate</c>). Each thread's share of Wˡ, ∂Wˡ and the
    /// optimizer's state then stays in its own core's cache from one mini-batch to the next.
    /// </summary>
    public const int NeuronGrain = 64;

    /// <summary>
    /// How to split C[m×n] among <paramref name="parts"/> parts, given the kernel's tile of <paramref name="rowGrain"/> ×
    /// <paramref name="columnGrain"/>. BP4's form (<paramref name="transposeA"/>: C = ∂Wˡ = δᵀ·aˡ⁻¹) by neurons when every
    /// part gets a whole <see cref="NeuronGrain"/> of rows: its op(B), the batch's activations (k × n), is small beside the
    /// m·k·n product, so each part packs it for itself. Otherwise columns whenever C is at least as wide as it is tall
    /// and every part gets a whole column grain: each part then reads only its share of B (and packs only that share,
    /// with no hand-off between packing and computing), which is what a mini-batch's forward and BP2 products (64 × 256
    /// and the like) need. Rows when there are many of them (inference over a large batch: every part then reads all of
    /// B), or too few columns to share.
    /// </summary>
    public static ProductSplit SplitOf(int m, int n, int rowGrain, int columnGrain, int parts, bool transposeA)
    {
        if (transposeA && m >= NeuronGrain * parts) return ProductSplit.NeuronRows;
        return m >= 2 * rowGrain * parts && (m >= n || n < columnGrain * parts) ? ProductSplit.Rows : ProductSplit.Columns;
    }

    /// <summary>
    /// The band [Start, End) of <paramref name="length"/> that part <paramref name="part"/> of
    /// <paramref name="parts"/> computes: whole grains, as even as they go; empty when there are more parts than grains.
    /// </summary>
    public static (int Start, int End) Band(int length, int grain, int part, int parts)
    {
        int units = (length + grain - 1) / grain;
        int start = (int)((long)units * part / parts) * grain;
        int end = (int)((long)units * (part + 1) / parts) * grain;
        return (Math.Min(start, length), Math.Min(end, length));
    }
}
