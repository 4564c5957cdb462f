using System.Net;

namespace BackpropService.Api.Commands;

/// <summary>
/// <c>dotnet BackpropService.Api.dll healthcheck [url]</c>: asks a running service whether it is ready, for a
/// container's HEALTHCHECK, so that the runtime image needs no curl. Exits 0 when <c>/health/ready</c> answers 200,
/// 1 otherwise (another status, no answer within <see cref="Timeout"/>, nothing listening). It builds no web host:
/// it opens no database and listens on no port, so it can run beside the service it checks.
/// </summary>
public static class HealthCheckCommand
{
    public const string Name = "healthcheck";

    public const string ReadyPath = "/health/ready";

    /// <summary>Shorter than the Dockerfile's HEALTHCHECK timeout, so a hung service is reported, not killed.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(4);

    public static async Task<int> RunAsync(string[] arguments)
    {
        if (ReadyUrl(arguments, Environment.GetEnvironmentVariable) is not { } url)
        {
            Console.Error.WriteLine($"usage: {Name} [url]   (an absolute http(s) URL, or a base address to which {ReadyPath} is added; "
                + "default: the first address in ASPNETCORE_URLS or ASPNETCORE_HTTP_PORTS, else http://localhost:5000)");
            return 1;
        }
        using var http = new HttpClient { Timeout = Timeout };
        try
        {
            using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
            Console.WriteLine($"{url}: {(int)response.StatusCode} {response.ReasonPhrase}");
            return response.StatusCode == HttpStatusCode.OK ? 0 : 1;
        }
        catch (HttpRequestException e)
        {
            Console.WriteLine($"{url}: no answer ({e.Message})");
        }
        catch (TaskCanceledException)
        {
            Console.WriteLine($"{url}: no answer within {Timeout.TotalSeconds:0} s");
        }
        return 1;
    }

    /// <summary>
    /// The address to ask: the argument (a base address gets <see cref="ReadyPath"/>), else where the service listens
    /// by the same variables it reads (ASPNETCORE_URLS, else ASPNETCORE_HTTP_PORTS, else Kestrel's default), with a
    /// wildcard host (<c>*</c>, <c>+</c>, <c>0.0.0.0</c>, <c>[::]</c>) asked on localhost. Null when the argument is not an http(s) URL.
    /// </summary>
    internal static Uri? ReadyUrl(IReadOnlyList<string> arguments, Func<string, string?> environment)
    {
        string address = arguments.Count > 0 ? arguments[0] : ListeningAddress(environment);
        address = address.Replace("://*", "://localhost", StringComparison.Ordinal).Replace("://+", "://localhost", StringComparison.Ordinal)
            .Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal).Replace("://[::]", "://localhost", StringComparison.Ordinal);
        if (!Uri.TryCreate(address, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https")) return null;
        return url.AbsolutePath == "/" ? new Uri(url, ReadyPath) : url;
    }

    private static string ListeningAddress(Func<string, string?> environment)
    {
        if (environment("ASPNETCORE_URLS") is { Length: > 0 } urls)
        {
            var all = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            // Plain http where there is a choice: a certificate made for a public name would not match localhost.
            return all.FirstOrDefault(u => u.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) ?? all.FirstOrDefault() ?? "";
        }
        if (environment("ASPNETCORE_HTTP_PORTS") is { Length: > 0 } ports)
            return $"http://localhost:{ports.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault()}";
        return "http://localhost:5000";
    }
}
