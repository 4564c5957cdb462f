using BackpropService.Web.Access;
using BackpropService.Web.Services;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace BackpropService.Web;

/// <summary>The dashboard's plain HTTP endpoints beside its pages: sign-out, and model downloads made with the session's key.</summary>
public static class DashboardEndpoints
{
    /// <summary>Where a page links to download a model file (the browser cannot send the key to the API itself).</summary>
    public static string ModelDownloadPath(string modelId) => $"/models/{Uri.EscapeDataString(modelId)}/download";

    public static IEndpointRouteBuilder MapDashboardEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost(DashboardAuthentication.LogoutPath, (Delegate)SignOutAsync).RequireAuthorization(DashboardPolicies.SignedIn).ExcludeFromDescription();
        app.MapGet("/models/{id}/download", DownloadModelAsync).RequireAuthorization(DashboardPolicies.Train).ExcludeFromDescription();
        return app;
    }

    /// <summary>Ends the session (a form post from the layout) and shows the sign-in page.</summary>
    /// <remarks>
    /// The layout is rendered in the circuit without prerendering, where no antiforgery token reaches the page, so
    /// the post is checked the way browsers allow for that: it must come from a page of this very origin
    /// (<c>Origin</c>, or <c>Sec-Fetch-Site</c> where a browser leaves Origin out). Another site cannot sign anyone out.
    /// </remarks>
    private static async Task<IResult> SignOutAsync(HttpContext context)
    {
        if (!IsSameOriginPost(context.Request))
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Sign out from the dashboard itself.",
                detail: "This sign-out did not come from a page of the dashboard.");
        await context.SignOutAsync(DashboardAuthentication.Scheme);
        return TypedResults.Redirect(DashboardAuthentication.LoginPath);
    }

    private static bool IsSameOriginPost(HttpRequest request)
    {
        string? origin = request.Headers.Origin;
        if (!string.IsNullOrEmpty(origin))
            return string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase);
        return request.Headers["Sec-Fetch-Site"] == "same-origin";
    }

    /// <summary>Passes the API's answer (the file, or its problem details) through, fetched with the session's key.</summary>
    private static async Task DownloadModelAsync(string id, HttpContext context, AuthenticationStateProvider authentication, BackpropApiClient api)
    {
        // Outside a circuit nobody sets the authentication state; this request's user is the session's.
        if (authentication is IHostEnvironmentAuthenticationStateProvider host)
            host.SetAuthenticationState(Task.FromResult(new AuthenticationState(context.User)));
        using var response = await api.DownloadModelAsync(id, context.RequestAborted);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Content.Headers.Where(h => h.Key is "Content-Type" or "Content-Disposition" or "Content-Length"))
            context.Response.Headers[name] = values.ToArray();
        await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
    }
}
