namespace BackpropService.Engine.LinearAlgebra;

/// <summary>How the parts of a product shared among threads divide C (<see cref="ProductPartition.SplitOf"/>).</summary>
internal enum ProductSplit
{
    /// <summary>Bands of C's columns: each part packs and reads only its own slivers of op(B).</summary>
    Columns,

    /// <summary>Bands of C's rows, all reading one op(B) that the parts pack together first (a large op(B), such as Wᵀ).</summary>
    Rows,

    /// <summary>
    /// Bands of C's rows in grains of <see cref="ProductPartition.NeuronGrain"/>, each part packing all of op(B) for
    /// itself: BP4's ∂Wˡ = δᵀ·aˡ⁻¹, split by the neurons (rows of Wˡ) each thread also computes forward and updates.
    /// </summary>
    NeuronRows,
}
