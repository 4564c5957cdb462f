using System.Collections.Concurrent;

namespace BackpropService.Api.Tests.Observability;

/// <summary>Items the service hands over on its own threads, kept in order; a test awaits the one it needs instead of polling or sleeping.</summary>
public sealed class Recorded<T> : IDisposable
{
    private readonly ConcurrentQueue<T> _items = new();
    private readonly SemaphoreSlim _added = new(0);

    public IReadOnlyCollection<T> Items => _items;

    public void Add(T item)
    {
        _items.Enqueue(item);
        _added.Release();
    }

    /// <summary>Waits until an item that matches has been added; fails after <paramref name="timeout"/>.</summary>
    public async Task<T> WaitForAsync(Func<T, bool> match, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        while (true)
        {
            foreach (var item in _items)
                if (match(item)) return item;
            try
            {
                await _added.WaitAsync(cancel.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"nothing that matches arrived within {timeout}; got {_items.Count}: {string.Join(" | ", _items.Take(50))}");
            }
        }
    }

    public void Dispose() => _added.Dispose();
}
