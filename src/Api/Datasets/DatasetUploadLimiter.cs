using BackpropService.Api.Http;
using BackpropService.Api.Options;
using Microsoft.Extensions.Options;

namespace BackpropService.Api.Datasets;

/// <summary>
/// Lets one dataset upload be parsed and stored at a time, with <see cref="ServiceLimits.MaxQueuedUploads"/> more
/// waiting in arrival order: a parse may hold up to <c>Limits:MaxDatasetBytes</c> of numbers and then a stored copy
/// of them, so two at once would double the service's peak memory. Receiving the form is not limited (ASP.NET Core
/// buffers uploaded files to disk), so a slow client never holds the parser. Hold the lease until the dataset is stored
/// or refused.
/// </summary>
public sealed class DatasetUploadLimiter(IOptions<ServiceLimits> limits) : WorkSlots(1, limits.Value.MaxQueuedUploads)
{
    /// <summary>What a refused upload is told to wait: about one parse of a large file.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(10);
}
