namespace BackpropService.Api.Cluster;

/// <summary>A single process (no <c>ConnectionStrings:Redis</c>): nobody else to tell, nothing missed.</summary>
public sealed class NoPeerProcesses : IPeerProcesses
{
    public bool HearsChanges => true;

    public Task ForgetEverywhereAsync(StateChange change) => Task.CompletedTask;

    public Task CancelJobAsync(string jobId, CancellationToken cancellationToken) => Task.CompletedTask;
}
