using BackpropService.Contracts;
using BackpropService.Contracts.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace BackpropService.Web.Services;

/// <summary>
/// Builds connections to the service's training hub with the signed-in key (scoped: one per circuit); each
/// page owns and disposes its own connection.
/// </summary>
public sealed class TrainingHubConnector(ApiAddress address, DashboardSession session)
{
    /// <summary>A new, not yet started connection that reconnects by itself (0, 2, 10, 30 s, then every 30 s).</summary>
    public HubConnection Create() =>
        new HubConnectionBuilder()
            // Asked on every (re)connect; the .NET client sends it as 'Authorization: Bearer', never in the URL.
            .WithUrl(new Uri(address.BaseUri, TrainingHubMethods.Path.TrimStart('/')), options => options.AccessTokenProvider = session.ApiKeyAsync)
            .WithAutomaticReconnect(new ForeverRetryPolicy())
            .AddJsonProtocol(options => ContractJson.Configure(options.PayloadSerializerOptions))
            .Build();

    /// <summary>
    /// After a failed first start (automatic reconnect only covers connections that were up once): keeps starting
    /// <paramref name="hub"/> on the reconnect schedule until it is connected (or someone else started it), then
    /// calls <paramref name="onStarted"/>. Ends quietly when <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    public static async Task KeepStartingAsync(HubConnection hub, Func<Task> onStarted, CancellationToken cancellationToken)
    {
        try
        {
            for (int attempt = 1; hub.State == HubConnectionState.Disconnected; attempt++)
            {
                await Task.Delay(ForeverRetryPolicy.Delay(attempt), cancellationToken);
                try
                {
                    if (hub.State == HubConnectionState.Disconnected) await hub.StartAsync(cancellationToken);
                }
                catch (Exception) when (!cancellationToken.IsCancellationRequested)
                {
                    // Still unreachable (or being started from the page's Reconnect button): try again later.
                }
            }
            await onStarted();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The page that owns the connection was left.
        }
    }

    private sealed class ForeverRetryPolicy : IRetryPolicy
    {
        private static readonly TimeSpan[] Delays = [TimeSpan.Zero, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10)];

        public static TimeSpan Delay(int previousAttempts) =>
            previousAttempts < Delays.Length ? Delays[previousAttempts] : TimeSpan.FromSeconds(30);

        public TimeSpan? NextRetryDelay(RetryContext retryContext) => Delay((int)retryContext.PreviousRetryCount);
    }
}
