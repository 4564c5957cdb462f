namespace BackpropService.Web.Components.Shared;

/// <summary>
/// Runs a component's refresh (a request whose answer replaces what is shown) one at a time: a refresh asked for
/// while one is in flight makes it run once more afterwards, so requests never pile up and the last answer shown
/// is never older than the last ask. Used on the component's dispatcher only (not thread-safe by design).
/// </summary>
public sealed class CoalescedRefresh
{
    private bool _running;
    private bool _again;

    /// <summary>Runs <paramref name="refresh"/> now, or once more after the one in flight. Ends quietly once <paramref name="closing"/> is cancelled.</summary>
    public async Task RunAsync(Func<Task> refresh, CancellationToken closing)
    {
        _again = true;
        if (_running) return;
        _running = true;
        try
        {
            while (_again && !closing.IsCancellationRequested)
            {
                _again = false;
                await refresh();
            }
        }
        catch (OperationCanceledException) when (closing.IsCancellationRequested)
        {
            // The component was left while its request was in flight.
        }
        finally
        {
            _running = false;
        }
    }
}
