using BackpropService.Api.Options;
using BackpropService.Api.Persistence;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace BackpropService.Api.Training;

/// <summary>
/// Retries a write of the worker that the database refused for a moment (<see cref="TransientStorageErrors"/>):
/// <see cref="TrainingWorkerOptions.StorageRetries"/> more tries, with exponential backoff and jitter from
/// <see cref="TrainingWorkerOptions.StorageRetryDelayMilliseconds"/>; every other error, and the last temporary one,
/// reaches the caller. Polly's retry strategy rather than a loop of our own: it brings the backoff, the jitter and
/// the cancellation of the waits, runs synchronously on the training thread, and is the library .NET's own
/// resilience packages build on.
/// </summary>
public sealed partial class StorageWriteRetry
{
    private readonly ResiliencePipeline _pipeline;

    public StorageWriteRetry(IOptions<TrainingWorkerOptions> options, ILogger<StorageWriteRetry> logger)
    {
        _pipeline = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(TransientStorageErrors.IsTransient),
                MaxRetryAttempts = options.Value.StorageRetries,
                Delay = TimeSpan.FromMilliseconds(options.Value.StorageRetryDelayMilliseconds),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                OnRetry = arguments =>
                {
                    var error = arguments.Outcome.Exception!;
                    LogRetrying(logger, error, TransientStorageErrors.Describe(error), arguments.RetryDelay.TotalSeconds, arguments.AttemptNumber + 1);
                    return default;
                },
            })
            .Build();
    }

    /// <summary>Runs <paramref name="write"/>, trying again while it fails with a temporary database error.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled while waiting to try again.</exception>
    public void Execute(Action write, CancellationToken cancellationToken) =>
        _pipeline.Execute(static (write, _) => write(), write, cancellationToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A database write failed ({Reason}); trying again in {DelaySeconds:0.###} s (retry {Retry}).")]
    private static partial void LogRetrying(ILogger logger, Exception exception, string reason, double delaySeconds, int retry);
}
