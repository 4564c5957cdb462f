using BackpropService.Api.Http;
using Microsoft.Extensions.Options;

namespace BackpropService.Api.Predict;

/// <summary>
/// Bounds the predictions computed at once (<see cref="PredictLimits.Concurrency"/>, with a queue of
/// <see cref="PredictLimits.QueueLength"/>). Taken around the compute only, after the body has arrived and the model is
/// resolved: a client that sends its body slowly holds no slot, so a few slow clients cannot starve everyone's compute.
/// </summary>
public sealed class PredictComputeLimiter(IOptions<PredictLimits> options)
    : WorkSlots(options.Value.Concurrency, options.Value.QueueLength)
{
    /// <summary>The detail of the 503 a request gets when every slot and the queue are taken.</summary>
    public string Description { get; } = options.Value.ConcurrencyDescription;
}
