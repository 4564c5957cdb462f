namespace BackpropService.Engine;

/// <summary>Bounds on a network's shape, for untrusted sizes (a request, a model file). A service may set tighter ones.</summary>
public sealed record NetworkLimits
{
    /// <summary>The engine's own bounds: what <see cref="Network{T}"/> accepts at all.</summary>
    public static NetworkLimits Engine { get; } = new();

    /// <summary>Most hidden plus output layers.</summary>
    public int MaxLayers { get; init; } = 64;

    /// <summary>Most neurons in one layer (and most inputs).</summary>
    public int MaxLayerSize { get; init; } = 1 << 20;

    /// <summary>Most weights and biases; θ is one array, so never more than <see cref="Array.MaxLength"/>.</summary>
    public long MaxParameters { get; init; } = Array.MaxLength;

    /// <summary>These limits, lowered where the engine's own are tighter.</summary>
    public NetworkLimits WithinEngine() => new()
    {
        MaxLayers = Math.Min(MaxLayers, Engine.MaxLayers),
        MaxLayerSize = Math.Min(MaxLayerSize, Engine.MaxLayerSize),
        MaxParameters = Math.Min(MaxParameters, Engine.MaxParameters),
    };
}
