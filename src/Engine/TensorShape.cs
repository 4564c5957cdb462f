namespace BackpropService.Engine;

/// <summary>
/// The shape of one sample's values: channels × height × width, stored channel by channel, each channel row by row
/// (index (c · Height + y) · Width + x), the layout ONNX calls NCHW without the batch. A flat vector of n values is
/// <c>(n, 1, 1)</c> (see <see cref="Flat"/>), which is how dense layers see any input.
/// </summary>
public readonly record struct TensorShape(int Channels, int Height, int Width)
{
    /// <summary>Values in one sample: C · H · W (long: untrusted sizes may overflow an int before they are checked).</summary>
    public long Length => (long)Channels * Height * Width;

    /// <summary>A vector of <paramref name="values"/> values with no spatial layout.</summary>
    public static TensorShape Flat(int values) => new(values, 1, 1);

    /// <summary>True for a vector (<see cref="Flat"/>): only dense and dropout layers apply to it.</summary>
    public bool IsFlat => Height == 1 && Width == 1;

    /// <summary>As users write it: <c>1x28x28</c>.</summary>
    public override string ToString() => $"{Channels}x{Height}x{Width}";
}
