using System.Numerics;
using BackpropService.Engine.Layers;

namespace BackpropService.Engine;

/// <summary>
/// The buffers one forward and backward pass over a mini-batch needs: per layer the weighted inputs zˡ,
/// activations aˡ and errors δˡ, each a (rows × outputs) matrix (one buffer for z and a in a layer without a σ of its
/// own: maxPool, dropout), a pool's winners, a dropout layer's mask, and one scratch shared by the convolution kernels.
/// Allocated once for the largest batch and reused, so the training loop allocates nothing per mini-batch.
/// </summary>
public sealed class NetworkWorkspace<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    internal NetworkWorkspace(IReadOnlyList<Layer> layers, int maxRows, int threads)
    {
        MaxRows = maxRows;
        Threads = threads;
        Activations = layers.Select(l => new T[maxRows * l.Outputs]).ToArray();
        WeightedInputs = layers.Select(l => l.KeepsWeightedInput ? new T[maxRows * l.Outputs] : Activations[l.Index]).ToArray();
        Errors = layers.Select(l => new T[maxRows * l.Outputs]).ToArray();
        Masks = layers.Select(l => new T[maxRows * l.MaskLength]).ToArray();
        Winners = layers.Select(l => new int[maxRows * l.WinnerLength]).ToArray();
        Scratch = new T[checked((int)ScratchLength(layers, maxRows, threads))];
    }

    public int MaxRows { get; }

    /// <summary>Threads the convolution scratch is sized for; a network with more threads uses this many for its convolutions.</summary>
    public int Threads { get; }

    /// <summary>Rows held by the last pass.</summary>
    public int Rows { get; internal set; }

    /// <summary>zˡ per layer (the same array as aˡ for maxPool and dropout).</summary>
    public T[][] WeightedInputs { get; }

    /// <summary>aˡ per layer.</summary>
    public T[][] Activations { get; }

    /// <summary>δˡ = ∂C/∂zˡ per layer (of the summed cost over the batch rows).</summary>
    public T[][] Errors { get; }

    /// <summary>Per dropout layer, the last training pass's mask (0 or 1/(1 − rate)); empty for other layers.</summary>
    public T[][] Masks { get; }

    /// <summary>Per maxPool layer, the index within its sample of the input that won each output; empty for other layers.</summary>
    public int[][] Winners { get; }

    /// <summary>The convolution kernels' scratch, shared by the conv layers (they run one after another).</summary>
    public T[] Scratch { get; }

    public ReadOnlySpan<T> Output => Activations[^1].AsSpan(0, Rows * (Activations[^1].Length / MaxRows));

    /// <summary>
    /// Values a workspace for <paramref name="maxRows"/> rows holds, winners included (an index is no wider than a value):
    /// what <see cref="Training.TrainingFootprint"/> counts, computed without allocating.
    /// </summary>
    public static long ValuesFor(IReadOnlyList<Layer> layers, int maxRows, int threads)
    {
        ArgumentNullException.ThrowIfNull(layers);
        long values = ScratchLength(layers, maxRows, threads);
        foreach (Layer layer in layers)
            values += (long)maxRows * ((layer.KeepsWeightedInput ? 3L : 2L) * layer.Outputs + layer.MaskLength + layer.WinnerLength);
        return values;
    }

    private static long ScratchLength(IReadOnlyList<Layer> layers, int maxRows, int threads) =>
        layers.Select(l => l.ScratchLength(maxRows, threads)).DefaultIfEmpty(0).Max();
}
