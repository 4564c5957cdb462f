using System.Security.Claims;
using BackpropService.Web.Access;
using BackpropService.Web.Services;
using Microsoft.AspNetCore.Components.Authorization;

namespace BackpropService.Api.Tests;

/// <summary>The dashboard's API client and address: failures become problems or retries, not exceptions in components.</summary>
public sealed class DashboardClientTests
{
    [Fact]
    public async Task An_HttpClient_timeout_becomes_a_problem_saying_the_service_did_not_answer_in_time()
    {
        using var http = new HttpClient(new NeverAnswers()) { BaseAddress = new Uri("http://backprop.test/"), Timeout = TimeSpan.FromMilliseconds(100) };
        var client = new BackpropApiClient(http, SessionOf(null));

        var result = await client.ListJobsAsync();

        Assert.Null(result.Value);
        Assert.NotNull(result.Problem);
        Assert.Equal("The service did not answer in time.", result.Problem.Title);
    }

    [Fact]
    public async Task A_call_cancelled_by_the_caller_still_throws()
    {
        using var http = new HttpClient(new NeverAnswers()) { BaseAddress = new Uri("http://backprop.test/") };
        var client = new BackpropApiClient(http, SessionOf(null));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.ListJobsAsync(cancel.Token));
    }

    [Fact]
    public async Task Each_request_carries_the_signed_in_key_of_the_session_as_a_bearer_token()
    {
        var recorder = new RecordsAuthorization();
        using var http = new HttpClient(recorder) { BaseAddress = new Uri("http://backprop.test/") };
        var client = new BackpropApiClient(http, SessionOf("bp_the-signed-in-key"));

        await client.ListJobsAsync();
        await client.ListModelsAsync();

        Assert.Equal(["Bearer bp_the-signed-in-key", "Bearer bp_the-signed-in-key"], recorder.Seen);
    }

    [Fact]
    public async Task Without_a_session_requests_carry_no_key()
    {
        var recorder = new RecordsAuthorization();
        using var http = new HttpClient(recorder) { BaseAddress = new Uri("http://backprop.test/") };
        var client = new BackpropApiClient(http, SessionOf(null));

        await client.ListJobsAsync();

        Assert.Equal([null], recorder.Seen);
    }

    [Fact]
    public void An_address_resolved_before_the_server_has_one_is_resolved_again_on_the_next_use()
    {
        int calls = 0;
        var address = new ApiAddress(() => ++calls == 1
            ? throw new InvalidOperationException("the server has no addresses yet")
            : new Uri("http://localhost:5000/"));

        Assert.Throws<InvalidOperationException>(() => address.BaseUri);
        Assert.Equal(new Uri("http://localhost:5000/"), address.BaseUri);
    }

    /// <summary>A session whose cookie carried <paramref name="key"/> (null: nobody signed in).</summary>
    private static DashboardSession SessionOf(string? key) => new(new FixedState(key is null
        ? new ClaimsPrincipal(new ClaimsIdentity())
        : new ClaimsPrincipal(new ClaimsIdentity([new Claim(DashboardAuthentication.ApiKeyClaim, key)], DashboardAuthentication.Scheme))));

    private sealed class FixedState(ClaimsPrincipal user) : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() => Task.FromResult(new AuthenticationState(user));
    }

    private sealed class RecordsAuthorization : HttpMessageHandler
    {
        public List<string?> Seen { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Seen.Add(request.Headers.Authorization?.ToString());
            return Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new StringContent("[]") });
        }
    }

    private sealed class NeverAnswers : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("unreachable");
        }
    }
}
