using System.Numerics;

namespace BackpropService.Engine.Layers;

/// <summary>What one layer's backward pass over a mini-batch reads and writes (every matrix has one sample per row).</summary>
internal ref struct LayerBackward<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>aˡ⁻¹ as the forward pass read it: rows × <see cref="Layer.Inputs"/>.</summary>
    public ReadOnlySpan<T> Input;

    /// <summary>δˡ = ∂C/∂zˡ of the cost summed over the rows: rows × <see cref="Layer.Outputs"/>.</summary>
    public ReadOnlySpan<T> Error;

    /// <summary>Where ∂C/∂aˡ⁻¹ goes (rows × <see cref="Layer.Inputs"/>); empty when no layer below needs it.</summary>
    public Span<T> InputError;

    /// <summary>θ of the whole network.</summary>
    public ReadOnlySpan<T> Parameters;

    /// <summary>∂C/∂θ of the whole network; the layer overwrites its own part.</summary>
    public Span<T> Gradients;

    public int Rows;

    /// <summary>The factor of the gradients: 1/m for the mean cost of m rows.</summary>
    public T Scale;

    /// <inheritdoc cref="LayerForward{T}.Threads"/>
    public int Threads;

    /// <inheritdoc cref="LayerForward{T}.ScratchThreads"/>
    public int ScratchThreads;

    /// <inheritdoc cref="LayerForward{T}.Scratch"/>
    public Span<T> Scratch;

    /// <summary>The winners the forward pass kept.</summary>
    public ReadOnlySpan<int> Winners;

    /// <summary>The mask the forward pass kept.</summary>
    public ReadOnlySpan<T> Mask;

    /// <summary>As in the forward pass: null when dropout was the identity.</summary>
    public DropoutKey? Dropout;
}
