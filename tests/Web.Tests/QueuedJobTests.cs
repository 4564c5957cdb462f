using BackpropService.Contracts;
using BackpropService.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace BackpropService.Web.Tests;

/// <summary>Jobs waiting for the worker: the dashboard says where they stand instead of drawing empty charts.</summary>
[Collection(BrowserCollection.Name)]
public sealed class QueuedJobTests(BrowserFixture browser)
{
    private const string LossPoints = "() => document.getElementById('loss-chart')?.data?.[0]?.x?.length ?? 0";

    [Fact]
    public async Task A_queued_job_shows_its_place_in_the_queue_moving_up_live_then_its_page_shows_the_charts_once_it_runs()
    {
        await using var host = new DashboardHost(new Dictionary<string, string?> { ["Training:Concurrency"] = "1" });
        var running = await host.Http.SubmitJobAsync(TestJobs.Slow("in-the-way"));
        await host.Http.WaitForJobAsync(running.Id, j => j.Status == JobStatus.Running, TimeSpan.FromSeconds(30));
        var ahead = await host.Http.SubmitJobAsync(TestJobs.Small("ahead"));
        var waiting = await host.Http.SubmitJobAsync(TestJobs.Small("waiting"));

        var list = await browser.NewPageAsync(host);
        await list.GotoAsync("/");
        var listed = list.Locator($"#jobs-table tr[data-job-id='{waiting.Id}'] .remaining");
        await Expect(listed).ToHaveTextAsync("queued, position 2");
        var page = await browser.NewPageAsync(host);
        await page.GotoAsync($"/jobs/{waiting.Id}");
        var queueState = page.Locator("#queue-state");
        await Expect(queueState).ToContainTextAsync("Waiting in the queue (position 2)");
        await Expect(page.Locator("#loss-chart")).ToHaveCountAsync(0);

        // The job ahead leaves the queue: both pages move this one up without a reload.
        await host.Http.CancelJobAsync(ahead.Id);
        await Expect(queueState).ToContainTextAsync("Waiting in the queue (position 1)");
        await Expect(listed).ToHaveTextAsync("queued, position 1");

        // The worker is free: the job runs, and its charts take the place of the waiting card.
        await host.Http.CancelJobAsync(running.Id);
        await Expect(queueState).ToHaveCountAsync(0);
        await Expect(page.Locator("#loss-chart")).ToBeVisibleAsync();
        await page.WaitForFunctionAsync($"() => ({LossPoints})() > 0");
        await Expect(listed).Not.ToContainTextAsync("queued");
    }
}
