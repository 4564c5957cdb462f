using System.Numerics;

namespace BackpropService.Engine;

/// <summary>
/// The buffers one forward and backward pass over a mini-batch needs: per layer the weighted inputs zˡ,
/// activations aˡ and errors δˡ, each a (rows × neurons) matrix. Allocated once for the largest batch
/// and reused, so the training loop allocates nothing per mini-batch.
/// </summary>
public sealed class NetworkWorkspace<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    internal NetworkWorkspace(IReadOnlyList<DenseLayer> layers, int maxRows)
    {
        MaxRows = maxRows;
        WeightedInputs = layers.Select(l => new T[maxRows * l.Outputs]).ToArray();
        Activations = layers.Select(l => new T[maxRows * l.Outputs]).ToArray();
        Errors = layers.Select(l => new T[maxRows * l.Outputs]).ToArray();
    }

    public int MaxRows { get; }

    /// <summary>Rows held by the last pass.</summary>
    public int Rows { get; internal set; }

    /// <summary>zˡ per layer.</summary>
    public T[][] WeightedInputs { get; }

    /// <summary>aˡ per layer.</summary>
    public T[][] Activations { get; }

    /// <summary>δˡ = ∂C/∂zˡ per layer (of the summed cost over the batch rows).</summary>
    public T[][] Errors { get; }

    public ReadOnlySpan<T> Output => Activations[^1].AsSpan(0, Rows * (Activations[^1].Length / MaxRows));
}
