namespace BackpropService.Web.Services;

/// <summary>
/// Where the dashboard finds the service's REST API and hub. Resolved on first use, because the host's
/// own listening address is known only once its server has started. A resolve that throws (asked too
/// early) is not cached: the next use tries again.
/// </summary>
public sealed class ApiAddress(Func<Uri> resolve)
{
    private readonly Lazy<Uri> _baseUri = new(resolve, LazyThreadSafetyMode.PublicationOnly);

    /// <summary>The API's base address, ending in a slash.</summary>
    public Uri BaseUri => _baseUri.Value;
}
