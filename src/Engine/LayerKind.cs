namespace BackpropService.Engine;

/// <summary>What a layer computes. Wire names (camelCase) are the job request's <c>type</c>.</summary>
public enum LayerKind
{
    /// <summary>Fully connected: zˡ = Wˡ aˡ⁻¹ + bˡ, aˡ = σ(zˡ). Flattens a shaped input (channel, row, column order).</summary>
    Dense = 0,

    /// <summary>2-D convolution (cross-correlation) of a channels × height × width input with <see cref="LayerSpec.Filters"/> kernels, then σ.</summary>
    Conv2d = 1,

    /// <summary>Max over non-overlapping <see cref="LayerSpec.PoolSize"/> × <see cref="LayerSpec.PoolSize"/> windows, per channel.</summary>
    MaxPool = 2,

    /// <summary>Inverted dropout at training (kept values scaled by 1/(1 − rate)); the identity at inference and evaluation.</summary>
    Dropout = 3,
}
