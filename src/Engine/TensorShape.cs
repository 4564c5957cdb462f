using System.Globalization;

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

    /// <summary>
    /// Reads a shape as users write it: three whole numbers from 1 up, channels, height and width, separated by commas
    /// or x (<c>1,8,8</c>, <c>1x8x8</c>, <c>1 × 8 × 8</c>, <c>[1, 8, 8]</c>). Reading allocates nothing that grows with
    /// the numbers, so an absurd shape costs no more than a sensible one.
    /// </summary>
    /// <param name="reason">Why <paramref name="text"/> is not a shape, as a sentence a person can act on; null when it is one.</param>
    public static bool TryParse(string text, out TensorShape shape, out string? reason)
    {
        ArgumentNullException.ThrowIfNull(text);
        shape = default;
        string quoted = text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 40), "…");
        ReadOnlySpan<char> rest = text.AsSpan().Trim();
        if (rest.StartsWith('[') && rest.EndsWith(']')) rest = rest[1..^1];
        Span<int> sizes = stackalloc int[3];
        int count = 0;
        foreach (Range part in rest.SplitAny(",xX×"))
        {
            ReadOnlySpan<char> number = rest[part].Trim();
            if (count == sizes.Length)
            {
                reason = $"'{quoted}' has more than three numbers; give channels, height and width, e.g. 1,28,28.";
                return false;
            }
            if (number.IsEmpty || !IsWholeNumber(number))
            {
                reason = number.IsEmpty
                    ? $"'{quoted}' is not a shape; give three whole numbers, channels, height and width, e.g. 1,28,28."
                    : $"'{number}' in '{quoted}' is not a whole number; give three whole numbers, channels, height and width, e.g. 1,28,28.";
                return false;
            }
            if (!int.TryParse(number, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int size))
            {
                reason = $"'{number}' in '{quoted}' is too large; each of channels, height and width is at most {int.MaxValue}.";
                return false;
            }
            if (size < 1)
            {
                reason = $"'{quoted}' has {size}; channels, height and width must each be at least 1.";
                return false;
            }
            sizes[count++] = size;
        }
        if (count != sizes.Length)
        {
            reason = $"'{quoted}' has {count} number{(count == 1 ? "" : "s")}; give three: channels, height and width, e.g. 1,28,28.";
            return false;
        }
        shape = new TensorShape(sizes[0], sizes[1], sizes[2]);
        reason = null;
        return true;
    }

    /// <summary>Digits with an optional sign: a number that may still be out of range, as opposed to text.</summary>
    private static bool IsWholeNumber(ReadOnlySpan<char> number)
    {
        ReadOnlySpan<char> digits = number[0] is '-' or '+' ? number[1..] : number;
        return !digits.IsEmpty && !digits.ContainsAnyExceptInRange('0', '9');
    }
}
