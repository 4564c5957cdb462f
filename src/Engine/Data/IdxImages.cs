namespace BackpropService.Engine.Data;

/// <summary>
/// The images of an IDX (MNIST format) file: <see cref="Count"/> images of
/// <see cref="Rows"/> × <see cref="Columns"/> unsigned-byte pixels, stored image after image, row-major.
/// </summary>
public sealed class IdxImages
{
    public IdxImages(int count, int rows, int columns, byte[] pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        if ((long)count * rows * columns != pixels.Length)
            throw new ArgumentException($"{pixels.Length} pixels do not make {count} images of {rows}×{columns}.", nameof(pixels));
        Count = count;
        Rows = rows;
        Columns = columns;
        Pixels = pixels;
    }

    public int Count { get; }
    public int Rows { get; }
    public int Columns { get; }

    /// <summary>Rows × columns: the number of input features each image becomes.</summary>
    public int PixelsPerImage => Rows * Columns;

    /// <summary>All pixels, image after image, each image row-major; 0 is background, 255 is ink.</summary>
    public byte[] Pixels { get; }

    public ReadOnlySpan<byte> Image(int index) => Pixels.AsSpan(index * PixelsPerImage, PixelsPerImage);
}
