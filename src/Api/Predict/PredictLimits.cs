using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace BackpropService.Api.Predict;

/// <summary>
/// How much of the service one caller's predictions may take (configuration section <c>Limits:Predict</c>): a rate
/// per key, a bound on predictions computed at once, and a time limit per request. The defaults are far above what a
/// service calling <c>/predict</c> per user request needs; bench/predict-load.sh raises the rate for its single key.
/// </summary>
public sealed class PredictLimits
{
    public const string Section = "Limits:Predict";

    /// <summary>The rate-limiting policy of both predict routes (a token bucket per API key).</summary>
    public const string RatePolicy = "predict-per-key";

    /// <summary>The request-timeout policy of both predict routes.</summary>
    public const string TimeoutPolicy = "predict";

    /// <summary>Requests per second one API key may make on average (below 1: one request every 1/rate seconds).</summary>
    [Range(0.001, 10_000_000)]
    public double PermitsPerSecond { get; set; } = 1000;

    /// <summary>Requests one API key may make at once above its rate (the token bucket's size).</summary>
    [Range(1, 10_000_000)]
    public int Burst { get; set; } = 2000;

    /// <summary>Predictions computed at once, across all keys (default: twice the processor count).</summary>
    [Range(1, 100_000)]
    public int Concurrency { get; set; } = 2 * Environment.ProcessorCount;

    /// <summary>Predictions that may wait for a free slot when <see cref="Concurrency"/> are running (default: four per processor).</summary>
    [Range(0, 1_000_000)]
    public int QueueLength { get; set; } = 4 * Environment.ProcessorCount;

    /// <summary>Longest a predict request may take, from routing to its answer (body upload, queue and compute included).</summary>
    [Range(0.01, 3600)]
    public double TimeoutSeconds { get; set; } = 10;

    /// <summary>What the rate limit allows, with its settings: the detail of a 429.</summary>
    public string RateDescription => string.Create(CultureInfo.InvariantCulture,
        $"An API key may make {PermitsPerSecond:#,0.###} predict requests per second, in bursts of up to {Burst:N0} "
        + $"(Limits:Predict:PermitsPerSecond, Limits:Predict:Burst); this key has used its burst");

    /// <summary>What the concurrency limit allows, with its settings: the detail of a 503.</summary>
    public string ConcurrencyDescription => string.Create(CultureInfo.InvariantCulture,
        $"At most {Concurrency:N0} predictions run at once and {QueueLength:N0} more wait for a slot "
        + $"(Limits:Predict:Concurrency, Limits:Predict:QueueLength); all are taken");

    /// <summary>The detail of a 504.</summary>
    public string TimeoutDescription => string.Create(CultureInfo.InvariantCulture,
        $"The prediction did not finish within {TimeoutSeconds:0.###} s (Limits:Predict:TimeoutSeconds), counted from the "
        + $"request's arrival: its body upload, the wait for a compute slot and the compute. Send fewer rows per request.");
}
