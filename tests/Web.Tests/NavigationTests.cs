using BackpropService.Contracts;
using BackpropService.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace BackpropService.Web.Tests;

/// <summary>Moving between two pages of the same kind shows the second one, not the first one's state.</summary>
[Collection(BrowserCollection.Name)]
public sealed class NavigationTests(BrowserFixture browser)
{
    [Fact]
    public async Task Going_from_one_job_page_to_another_shows_the_second_job()
    {
        await using var host = new DashboardHost();
        Job first = await SubmitAsync(host, "first-job");
        Job second = await SubmitAsync(host, "second-job");
        var page = await browser.NewPageAsync(host);

        await page.GotoAsync($"/jobs/{first.Id}");
        await Expect(page.Locator("h1")).ToContainTextAsync("first-job");

        // Client-side navigation, as a link or the back button would do: the router reuses the page type.
        await page.EvaluateAsync("url => Blazor.navigateTo(url)", $"/jobs/{second.Id}");
        await Expect(page.Locator("h1")).ToContainTextAsync("second-job");
        await Expect(page.Locator("#epoch-text")).ToContainTextAsync("/ 7");
    }

    private static Task<Job> SubmitAsync(DashboardHost host, string name) =>
        host.Http.SubmitJobAsync(TestJobs.Small(name, epochs: name == "first-job" ? 3 : 7));
}
