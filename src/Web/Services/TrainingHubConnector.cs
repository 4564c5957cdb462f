using BackpropService.Contracts;
using BackpropService.Contracts.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace BackpropService.Web.Services;

/// <summary>Builds connections to the service's training hub; each page owns and disposes its own.</summary>
public sealed class TrainingHubConnector(ApiAddress address)
{
    /// <summary>A new, not yet started connection that reconnects by itself (0, 2, 10, 30 s, then every 30 s).</summary>
    public HubConnection Create() =>
        new HubConnectionBuilder()
            .WithUrl(new Uri(address.BaseUri, TrainingHubMethods.Path.TrimStart('/')))
            .WithAutomaticReconnect(new ForeverRetryPolicy())
            .AddJsonProtocol(options => ContractJson.Configure(options.PayloadSerializerOptions))
            .Build();

    private sealed class ForeverRetryPolicy : IRetryPolicy
    {
        private static readonly TimeSpan[] Delays = [TimeSpan.Zero, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10)];

        public TimeSpan? NextRetryDelay(RetryContext retryContext) =>
            retryContext.PreviousRetryCount < Delays.Length ? Delays[retryContext.PreviousRetryCount] : TimeSpan.FromSeconds(30);
    }
}
