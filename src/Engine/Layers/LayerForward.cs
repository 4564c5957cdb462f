using System.Numerics;

namespace BackpropService.Engine.Layers;

/// <summary>What one layer's forward pass over a mini-batch reads and writes (every matrix has one sample per row).</summary>
internal ref struct LayerForward<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>aˡ⁻¹: rows × <see cref="Layer.Inputs"/>.</summary>
    public ReadOnlySpan<T> Input;

    /// <summary>zˡ: rows × <see cref="Layer.Outputs"/>; may be the memory of <see cref="Activation"/>.</summary>
    public Span<T> WeightedInput;

    /// <summary>aˡ: rows × <see cref="Layer.Outputs"/>.</summary>
    public Span<T> Activation;

    /// <summary>θ of the whole network.</summary>
    public ReadOnlySpan<T> Parameters;

    public int Rows;

    /// <summary>Threads the dense products may use.</summary>
    public int Threads;

    /// <summary>Threads the convolution may use: at most those its scratch was sized for.</summary>
    public int ScratchThreads;

    /// <summary>The shared scratch of the convolution kernels.</summary>
    public Span<T> Scratch;

    /// <summary>A pool's winners (rows × outputs), kept for the backward pass.</summary>
    public Span<int> Winners;

    /// <summary>A dropout layer's mask (rows × outputs: 0 or 1/(1 − rate)), kept for the backward pass.</summary>
    public Span<T> Mask;

    /// <summary>Which mini-batch of which run this is (decides dropout masks); null for inference, evaluation and validation (dropout is the identity).</summary>
    public DropoutKey? Dropout;

    /// <summary>False when only the output matters (inference): a fused kernel may then skip writing z.</summary>
    public bool KeepWeightedInput;
}
