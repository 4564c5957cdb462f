using System.Threading.Channels;
using BackpropService.Contracts;
using Microsoft.AspNetCore.SignalR.Client;

namespace BackpropService.Api.Tests.Hubs;

/// <summary>Records the <c>EpochCompleted</c> and <c>JobUpdated</c> events one hub connection receives, in arrival order.</summary>
internal sealed class HubRecording
{
    private readonly Channel<object> _received = Channel.CreateUnbounded<object>();

    /// <summary>Starts recording; call before the connection starts.</summary>
    public HubRecording(HubConnection connection)
    {
        connection.On<EpochMetrics>(TrainingHubMethods.EpochCompleted, m => _received.Writer.TryWrite(m));
        connection.On<Job>(TrainingHubMethods.JobUpdated, j => _received.Writer.TryWrite(j));
    }

    /// <summary>The epochs received until the first <c>JobUpdated</c> of a finished job, and that job.</summary>
    public async Task<(List<EpochMetrics> Epochs, Job Final)> UntilFinishedAsync(TimeSpan timeout)
    {
        var epochs = new List<EpochMetrics>();
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            switch (await _received.Reader.ReadAsync(deadline.Token))
            {
                case EpochMetrics metrics:
                    epochs.Add(metrics);
                    break;
                case Job { Status: JobStatus.Succeeded or JobStatus.Failed or JobStatus.Cancelled } finished:
                    return (epochs, finished);
            }
        }
    }

    /// <summary>An event received after those read so far, if any.</summary>
    public bool TryReadMore(out object? extra) => _received.Reader.TryRead(out extra);
}
