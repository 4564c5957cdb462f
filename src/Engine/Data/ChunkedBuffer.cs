using System.Buffers;

namespace BackpropService.Engine.Data;

/// <summary>
/// A list of values that grows in fixed chunks rented from <see cref="ArrayPool{T}.Shared"/>: growing never copies
/// what is already stored (a doubling array holds up to twice its count and copies it at every step), so a reader
/// that stops at a limit of n values has held at most n values plus one chunk. <see cref="ToArray"/> makes the one
/// exact-size copy a <see cref="Dataset"/> needs. Dispose returns the chunks.
/// </summary>
internal sealed class ChunkedBuffer<T> : IDisposable where T : unmanaged
{
    /// <summary>64 Ki values: large enough that the per-chunk cost vanishes, small enough that the last chunk's slack does not matter.</summary>
    private const int ChunkLength = 1 << 16;

    private readonly List<T[]> _chunks = [];
    private T[] _current = [];
    private int _usedInCurrent = ChunkLength; // "full", so the first Add rents the first chunk

    public long Count { get; private set; }

    public void Add(T value)
    {
        if (_usedInCurrent == ChunkLength)
            StartChunk();
        _current[_usedInCurrent++] = value;
        Count++;
    }

    /// <summary>The stored values, chunk by chunk, in order.</summary>
    public IEnumerable<ArraySegment<T>> Segments()
    {
        for (int c = 0; c < _chunks.Count; c++)
            yield return new ArraySegment<T>(_chunks[c], 0, c == _chunks.Count - 1 ? _usedInCurrent : ChunkLength);
    }

    /// <summary>The stored values in a new array of exactly <see cref="Count"/> elements.</summary>
    public T[] ToArray()
    {
        var result = new T[Count];
        int offset = 0;
        foreach (ArraySegment<T> segment in Segments())
        {
            segment.AsSpan().CopyTo(result.AsSpan(offset));
            offset += segment.Count;
        }
        return result;
    }

    public void Dispose()
    {
        foreach (T[] chunk in _chunks)
            ArrayPool<T>.Shared.Return(chunk);
        _chunks.Clear();
        _current = [];
        _usedInCurrent = ChunkLength;
        Count = 0;
    }

    private void StartChunk()
    {
        // A rented array may be longer than asked for; only ChunkLength of each is used, so Segments knows every offset.
        _current = ArrayPool<T>.Shared.Rent(ChunkLength);
        _chunks.Add(_current);
        _usedInCurrent = 0;
    }
}
