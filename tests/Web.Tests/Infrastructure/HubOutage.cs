using System.Collections.Concurrent;
using BackpropService.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace BackpropService.Web.Tests.Infrastructure;

/// <summary>
/// Test-only: takes the training hub off the network and brings it back, as a network cut would. While
/// the outage lasts, open hub requests (the dashboard's WebSocket) are aborted and new ones (negotiate,
/// reconnect attempts) get 503. Nothing else (the Blazor circuit, the REST API) is touched.
/// </summary>
public sealed class HubOutage : IStartupFilter
{
    private readonly ConcurrentDictionary<HttpContext, byte> _open = new();
    private volatile bool _down;

    /// <summary>Drops every hub connection and refuses new ones until <see cref="End"/>.</summary>
    public void Begin()
    {
        _down = true;
        foreach (var context in _open.Keys) context.Abort();
    }

    public void End() => _down = false;

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, nextMiddleware) =>
        {
            if (!context.Request.Path.StartsWithSegments(TrainingHubMethods.Path))
            {
                await nextMiddleware(context);
                return;
            }
            if (_down)
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                return;
            }
            _open.TryAdd(context, 0);
            try
            {
                await nextMiddleware(context);
            }
            finally
            {
                _open.TryRemove(context, out _);
            }
        });
        next(app);
    };
}
