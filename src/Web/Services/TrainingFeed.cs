using BackpropService.Contracts;
using Microsoft.AspNetCore.SignalR.Client;

namespace BackpropService.Web.Services;

/// <summary>
/// One page's live connection to the training hub. It starts the connection (and, when the first start fails,
/// keeps starting it in the background: automatic reconnect only covers connections that were up once),
/// calls <see cref="Subscribe"/> after every (re)connection (a new connection has a new id and no groups),
/// hands hub events to the page on the page's dispatcher, and keeps <see cref="State"/> for the banner.
/// Nothing here throws while the page is open: a failure leaves the page offline, with <see cref="Problem"/> saying why.
/// </summary>
/// <param name="dispatch">The owning component's <c>InvokeAsync</c>: hub callbacks arrive on other threads.</param>
/// <param name="render">The owning component's <c>StateHasChanged</c>.</param>
public sealed class TrainingFeed(TrainingHubConnector connector, Func<Func<Task>, Task> dispatch, Action render) : IAsyncDisposable
{
    private readonly CancellationTokenSource _closing = new();
    private HubConnection? _hub;
    private bool _retryingStart;

    /// <summary>Subscribes to what the page shows; runs after every (re)connection. A throw marks the feed unsubscribed.</summary>
    public Func<Task> Subscribe { get; init; } = () => Task.CompletedTask;

    public Func<EpochMetrics, Task> EpochCompleted { get; init; } = _ => Task.CompletedTask;

    public Func<Job, Task> JobUpdated { get; init; } = _ => Task.CompletedTask;

    /// <summary>The connection's own state after its last transition (the banner follows it).</summary>
    public HubConnectionState State { get; private set; } = HubConnectionState.Disconnected;

    /// <summary>False until the first connection attempt, so a page does not flash "offline" while it loads.</summary>
    public bool Started { get; private set; }

    /// <summary>Whether the last <see cref="Subscribe"/> succeeded on the current connection.</summary>
    public bool IsSubscribed { get; private set; }

    /// <summary>Why live updates are not available (null while they are).</summary>
    public string? Problem { get; private set; }

    public bool IsConnected => _hub?.State == HubConnectionState.Connected;

    /// <summary>Cancelled when the page is left: pass it to every request the page makes.</summary>
    public CancellationToken Closing => _closing.Token;

    /// <summary>Starts (or, from the Reconnect button, restarts) the connection and subscribes.</summary>
    public async Task ConnectAsync()
    {
        // A page left while it was loading must not start a connection nobody will dispose.
        if (_closing.IsCancellationRequested) return;
        _hub ??= CreateConnection();
        Started = true;
        State = HubConnectionState.Connecting;
        try
        {
            if (_hub.State == HubConnectionState.Disconnected) await _hub.StartAsync(Closing);
        }
        catch (Exception e) when (!_closing.IsCancellationRequested)
        {
            // Any failure to connect (refused, no transport, handshake timeout) leaves the page usable, offline.
            IsSubscribed = false;
            Problem = $"Live updates are not available: {e.Message}";
            ShowState();
            KeepStarting();
            return;
        }
        await SubscribeAsync();
    }

    /// <summary>Joins the job's group; returns its metrics so far. Throws when the hub cannot answer.</summary>
    public async Task<IReadOnlyList<EpochMetrics>> SubscribeToJobAsync(string jobId) =>
        await Connection.InvokeAsync<List<EpochMetrics>>(TrainingHubMethods.SubscribeToJob, jobId, Closing);

    public Task UnsubscribeFromJobAsync(string jobId) => Connection.InvokeAsync(TrainingHubMethods.UnsubscribeFromJob, jobId, Closing);

    /// <summary>Receives every job's updates from now on.</summary>
    public Task SubscribeToJobsAsync() => Connection.InvokeAsync(TrainingHubMethods.SubscribeToJobs, Closing);

    private HubConnection Connection => _hub ?? throw new InvalidOperationException("Connect the feed first.");

    private HubConnection CreateConnection()
    {
        var hub = connector.Create();
        hub.On<EpochMetrics>(TrainingHubMethods.EpochCompleted, metrics => dispatch(() => EpochCompleted(metrics)));
        hub.On<Job>(TrainingHubMethods.JobUpdated, job => dispatch(() => JobUpdated(job)));
        hub.Reconnecting += _ => dispatch(() =>
        {
            IsSubscribed = false;
            ShowState();
            return Task.CompletedTask;
        });
        // A reconnected connection has no groups: subscribe again (the page catches up on what it missed).
        hub.Reconnected += _ => dispatch(SubscribeAsync);
        hub.Closed += _ => dispatch(() =>
        {
            IsSubscribed = false;
            ShowState();
            return Task.CompletedTask;
        });
        return hub;
    }

    /// <summary>The first start failed: retry in the background on the reconnect schedule, then subscribe.</summary>
    private void KeepStarting()
    {
        if (_hub is null || _retryingStart) return;
        _retryingStart = true;
        _ = KeepStartingAsync(_hub);
    }

    private async Task KeepStartingAsync(HubConnection hub)
    {
        try
        {
            for (int attempt = 1; hub.State == HubConnectionState.Disconnected; attempt++)
            {
                await Task.Delay(TrainingHubConnector.RetryDelay(attempt), Closing);
                try
                {
                    if (hub.State == HubConnectionState.Disconnected) await hub.StartAsync(Closing);
                }
                catch (Exception) when (!_closing.IsCancellationRequested)
                {
                    // Still unreachable (or being started from the page's Reconnect button): try again later.
                }
            }
            await dispatch(async () =>
            {
                _retryingStart = false;
                ShowState();
                await SubscribeAsync();
            });
        }
        catch (OperationCanceledException) when (_closing.IsCancellationRequested)
        {
            // The page that owns the connection was left.
        }
    }

    private async Task SubscribeAsync()
    {
        if (_hub is null || _closing.IsCancellationRequested) return;
        try
        {
            await Subscribe();
            IsSubscribed = true;
            Problem = null;
        }
        catch (Exception e) when (!_closing.IsCancellationRequested)
        {
            // The connection dropped again, or the job is gone: say so instead of failing silently in a hub callback.
            IsSubscribed = false;
            Problem = $"Live updates are not available: {e.Message}";
        }
        ShowState();
    }

    private void ShowState()
    {
        if (_hub is null || _closing.IsCancellationRequested) return;
        State = _hub.State;
        render();
    }

    public async ValueTask DisposeAsync()
    {
        // Cancelled, not disposed: work still in flight (a request, a hub callback) reads the token after this and
        // must see "cancelled", not an ObjectDisposedException that would fault a lifecycle task and end the circuit.
        await _closing.CancelAsync();
        if (_hub is not null) await _hub.DisposeAsync();
    }
}
