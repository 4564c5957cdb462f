using System.Buffers;

namespace BackpropService.Api.Predict;

/// <summary>
/// The rows of one predict request, stored flat in pooled buffers (no array per row). A row may be
/// missing (JSON <c>null</c>). Dispose returns the buffers.
/// </summary>
public sealed class PredictRows : IDisposable
{
    private float[] _values;
    private int _valueCount;
    private int[] _starts;
    private int[] _widths;

    public PredictRows(int expectedValues = 1024, int expectedRows = 4)
    {
        _values = ArrayPool<float>.Shared.Rent(Math.Max(16, expectedValues));
        _starts = ArrayPool<int>.Shared.Rent(Math.Max(4, expectedRows));
        _widths = ArrayPool<int>.Shared.Rent(Math.Max(4, expectedRows));
    }

    /// <summary>Rows held (missing ones included).</summary>
    public int Count { get; private set; }

    /// <summary>The first value that is not a finite number, as (row, column); (-1, -1) if none.</summary>
    public (int Row, int Column) FirstNonFinite { get; private set; } = (-1, -1);

    public bool IsMissing(int row) => _widths[row] < 0;

    public int Width(int row) => _widths[row];

    public ReadOnlySpan<float> Row(int row) => _values.AsSpan(_starts[row], Math.Max(0, _widths[row]));

    /// <summary>Starts a row; values follow through <see cref="Add"/>.</summary>
    public void BeginRow()
    {
        if (Count == _starts.Length)
        {
            Grow(ref _starts, Count * 2);
            Grow(ref _widths, Count * 2);
        }
        _starts[Count] = _valueCount;
        _widths[Count] = 0;
        Count++;
    }

    public void AddMissingRow()
    {
        BeginRow();
        _widths[Count - 1] = -1;
    }

    public void Add(float value)
    {
        if (_valueCount == _values.Length) Grow(ref _values, _valueCount * 2);
        if (!float.IsFinite(value) && FirstNonFinite.Row < 0) FirstNonFinite = (Count - 1, _widths[Count - 1]);
        _values[_valueCount++] = value;
        _widths[Count - 1]++;
    }

    /// <summary>Takes a row of <paramref name="values"/> as it is (the binary body).</summary>
    public void AddRow(ReadOnlySpan<float> values)
    {
        BeginRow();
        if (_valueCount + values.Length > _values.Length) Grow(ref _values, Math.Max(_values.Length * 2, _valueCount + values.Length));
        values.CopyTo(_values.AsSpan(_valueCount));
        _valueCount += values.Length;
        _widths[Count - 1] = values.Length;
        if (FirstNonFinite.Row < 0)
        {
            for (int i = 0; i < values.Length; i++)
            {
                if (!float.IsFinite(values[i]))
                {
                    FirstNonFinite = (Count - 1, i);
                    break;
                }
            }
        }
    }

    public void Dispose()
    {
        ArrayPool<float>.Shared.Return(_values);
        ArrayPool<int>.Shared.Return(_starts);
        ArrayPool<int>.Shared.Return(_widths);
        _values = [];
        _starts = _widths = [];
    }

    private static void Grow<T>(ref T[] array, int size)
    {
        var larger = ArrayPool<T>.Shared.Rent(size);
        array.AsSpan().CopyTo(larger);
        ArrayPool<T>.Shared.Return(array);
        array = larger;
    }
}
