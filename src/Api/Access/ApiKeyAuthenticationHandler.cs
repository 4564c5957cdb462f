using System.Text.Encodings.Web;
using BackpropService.Contracts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace BackpropService.Api.Access;

/// <summary>
/// Authenticates a request by the API key it sends: <c>Authorization: Bearer &lt;key&gt;</c> or
/// <c>X-Api-Key: &lt;key&gt;</c>; on the hub (<see cref="TrainingHubMethods.Path"/>) also SignalR's
/// <c>access_token</c> query parameter, which browsers' WebSockets need. Never a cookie: a foreign page
/// cannot make a browser send a header, so the REST API cannot be driven across sites.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    ApiKeyStore keys, IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var secret = PresentedKey(Request);
        if (secret is null) return AuthenticateResult.NoResult();

        var key = await keys.FindAsync(secret, Context.RequestAborted);
        if (key is null) return AuthenticateResult.Fail("The API key is not known.");
        if (!keys.IsUsable(key, out var whyNot)) return AuthenticateResult.Fail(whyNot!);

        var caller = new Caller(key.Id, key.Name, key.Scopes);
        return AuthenticateResult.Success(new AuthenticationTicket(new(caller.ToIdentity(SchemeName)), SchemeName));
    }

    /// <summary>401 with <c>WWW-Authenticate: Bearer</c> and problem details saying what was wrong with the key.</summary>
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        string detail = result.Failure?.Message
            ?? $"This needs an API key: send it as 'Authorization: Bearer <key>' or '{HeaderName}: <key>'.";
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = result.Failure is null ? "Bearer" : "Bearer error=\"invalid_token\"";
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails =
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = "An API key is needed.",
                Detail = detail,
                Extensions = { ["errors"] = new Dictionary<string, string[]> { ["authorization"] = [detail] } },
            },
        });
    }

    /// <summary>The secret the request sends, or null.</summary>
    private static string? PresentedKey(HttpRequest request)
    {
        string? authorization = request.Headers.Authorization;
        if (authorization is not null && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return NonEmpty(authorization["Bearer ".Length..]);
        if (request.Headers.TryGetValue(HeaderName, out var header)) return NonEmpty(header.ToString());
        if (request.Path.StartsWithSegments(TrainingHubMethods.Path) && request.Query.TryGetValue("access_token", out var token))
            return NonEmpty(token.ToString());
        return null;
    }

    private static string? NonEmpty(string value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
