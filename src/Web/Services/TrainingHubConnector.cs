using BackpropService.Contracts;
using BackpropService.Contracts.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace BackpropService.Web.Services;

/// <summary>
/// Builds connections to the service's training hub with the signed-in key (scoped: one per circuit); each page
/// owns one through its <see cref="TrainingFeed"/>.
/// </summary>
public sealed class TrainingHubConnector(ApiAddress address, DashboardSession session)
{
    /// <summary>A new, not yet started connection that reconnects by itself on the <see cref="RetryDelay"/> schedule.</summary>
    public HubConnection Create() =>
        new HubConnectionBuilder()
            // Asked on every (re)connect; the .NET client sends it as 'Authorization: Bearer', never in the URL.
            .WithUrl(new Uri(address.BaseUri, TrainingHubMethods.Path.TrimStart('/')), options => options.AccessTokenProvider = session.ApiKeyAsync)
            .WithAutomaticReconnect(new ForeverRetryPolicy())
            .AddJsonProtocol(options => ContractJson.Configure(options.PayloadSerializerOptions))
            .Build();

    /// <summary>How long to wait before the next attempt after <paramref name="previousAttempts"/>: 0, 2, 10, 30 s, then every 30 s.</summary>
    public static TimeSpan RetryDelay(int previousAttempts) =>
        previousAttempts < Delays.Length ? Delays[previousAttempts] : TimeSpan.FromSeconds(30);

    private static readonly TimeSpan[] Delays = [TimeSpan.Zero, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10)];

    private sealed class ForeverRetryPolicy : IRetryPolicy
    {
        public TimeSpan? NextRetryDelay(RetryContext retryContext) => RetryDelay((int)retryContext.PreviousRetryCount);
    }
}
