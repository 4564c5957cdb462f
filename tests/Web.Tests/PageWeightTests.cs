using BackpropService.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BackpropService.Web.Tests;

/// <summary>Pages download the charting library (plotly.js, 4.85 MB) only when they show a chart.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PageWeightTests(BrowserFixture browser)
{
    private static bool IsPlotly(IRequest request) => request.Url.Contains("/plotly-", StringComparison.Ordinal) && !request.Url.Contains("interop", StringComparison.Ordinal);

    [Fact]
    public async Task Signing_in_and_the_lists_do_not_download_plotly_and_a_job_page_draws_its_charts_with_it()
    {
        await using var host = new DashboardHost();
        var job = await host.Http.SubmitJobAsync(TestJobs.Small("charted", epochs: 3));
        var page = await browser.NewSignedOutPageAsync(host);
        var plotlyRequests = new List<string>();
        page.Request += (_, request) => { if (IsPlotly(request)) lock (plotlyRequests) plotlyRequests.Add(request.Url); };

        await BrowserFixture.SignInAsync(page, DashboardHost.AdminKey);
        await page.GotoAsync("/datasets");
        await Expect(page.Locator("h1")).ToBeVisibleAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        lock (plotlyRequests) Assert.Empty(plotlyRequests);

        // A page with charts loads it, once, and draws: Plotly's own SVG appears in the loss chart.
        await page.GotoAsync($"/jobs/{job.Id}");
        await Expect(page.Locator(".js-plotly-plot .main-svg").First).ToBeVisibleAsync();
        lock (plotlyRequests) Assert.Single(plotlyRequests);
    }
}
