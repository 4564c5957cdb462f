using BackpropService.Contracts;
using BackpropService.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BackpropService.Web.Tests;

/// <summary>The dashboard's live connection: it says when it is offline and recovers by itself.</summary>
[Collection(BrowserCollection.Name)]
public sealed class LiveConnectionTests(BrowserFixture browser)
{
    [Fact]
    public async Task The_jobs_page_says_it_is_offline_while_the_hub_is_unreachable_then_reconnects_by_itself_and_catches_up()
    {
        await using var host = new DashboardHost();
        var page = await browser.NewPageAsync(host);
        await page.GotoAsync("/");
        // The page connects to the hub before it lists the jobs, so the connection is up once the list shows.
        await Expect(page.Locator("#no-jobs")).ToBeVisibleAsync();
        var banner = page.Locator(".live-status");
        await Expect(banner).ToHaveCountAsync(0);

        host.HubOutage.Begin();
        await Expect(banner).ToHaveAttributeAsync("data-live", "reconnecting");
        await Expect(banner).ToContainTextAsync("Offline");

        // A job submitted while the page is offline shows up once it is back.
        var job = await host.Http.SubmitJobAsync(TestJobs.Small("while-offline"));
        host.HubOutage.End();

        // Reconnect attempts come 0, 2, 10 and 30 s after the drop; the one after End succeeds.
        var recovery = new LocatorAssertionsToHaveCountOptions { Timeout = 60_000 };
        await Expect(banner).ToHaveCountAsync(0, recovery);
        await Expect(page.Locator($"#jobs-table tr[data-job-id='{job.Id}']")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task The_jobs_page_keeps_trying_when_the_hub_is_unreachable_from_the_start()
    {
        await using var host = new DashboardHost();
        host.HubOutage.Begin();
        var page = await browser.NewPageAsync(host);
        await page.GotoAsync("/");
        var banner = page.Locator(".live-status");
        await Expect(banner).ToContainTextAsync("Offline");
        await Expect(page.Locator("#no-jobs")).ToBeVisibleAsync(); // the list still loads over REST

        host.HubOutage.End();
        var job = await host.Http.SubmitJobAsync(TestJobs.Small("after-outage"));

        // Start attempts follow the reconnect schedule (2, 10, 30 s, …): one after End succeeds without a click.
        var recovery = new LocatorAssertionsToHaveCountOptions { Timeout = 60_000 };
        await Expect(banner).ToHaveCountAsync(0, recovery);
        await Expect(page.Locator($"#jobs-table tr[data-job-id='{job.Id}']")).ToBeVisibleAsync();
    }
}

