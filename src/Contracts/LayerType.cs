namespace BackpropService.Contracts;

/// <summary>What a layer computes (the layer's <c>type</c>; absent means <see cref="Dense"/>).</summary>
public enum LayerType
{
    /// <summary>Fully connected: <c>size</c> neurons with an <c>activation</c>. Flattens an image-shaped input.</summary>
    Dense,

    /// <summary>2-D convolution: <c>filters</c> kernels of <c>kernel</c> × <c>kernel</c>, <c>stride</c> (1), <c>padding</c> (0), <c>activation</c>.</summary>
    Conv2d,

    /// <summary>Max over non-overlapping <c>size</c> × <c>size</c> windows, per channel.</summary>
    MaxPool,

    /// <summary>Inverted dropout of a fraction <c>rate</c> of the values while training; off at inference.</summary>
    Dropout,
}
