using BackpropService.Web.Services;

namespace BackpropService.Api.Tests;

/// <summary>The dashboard's API client and address: failures become problems or retries, not exceptions in components.</summary>
public sealed class DashboardClientTests
{
    [Fact]
    public async Task An_HttpClient_timeout_becomes_a_problem_saying_the_service_did_not_answer_in_time()
    {
        using var http = new HttpClient(new NeverAnswers()) { BaseAddress = new Uri("http://backprop.test/"), Timeout = TimeSpan.FromMilliseconds(100) };
        var client = new BackpropApiClient(http);

        var result = await client.ListJobsAsync();

        Assert.Null(result.Value);
        Assert.NotNull(result.Problem);
        Assert.Equal("The service did not answer in time.", result.Problem.Title);
    }

    [Fact]
    public async Task A_call_cancelled_by_the_caller_still_throws()
    {
        using var http = new HttpClient(new NeverAnswers()) { BaseAddress = new Uri("http://backprop.test/") };
        var client = new BackpropApiClient(http);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.ListJobsAsync(cancel.Token));
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

    private sealed class NeverAnswers : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("unreachable");
        }
    }
}
