using System.Text.Json;
using BackpropService.Contracts;
using BackpropService.Web.Components.Shared;
using BackpropService.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace BackpropService.Web.Tests;

/// <summary>The sweep page ranks a sweep's jobs and plots the metric against each swept setting, live as the jobs finish.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SweepPageTests(BrowserFixture browser)
{
    [Fact]
    public async Task The_sweep_page_ranks_the_jobs_live_as_they_finish_and_plots_the_metric_against_each_setting()
    {
        await using var host = new DashboardHost(new Dictionary<string, string?> { ["Training:Concurrency"] = "1" });
        // Holds the only training slot, so the page is open before any point trains.
        var blocker = await host.Http.SubmitJobAsync(TestJobs.Slow("in-the-way"));
        await host.Http.WaitForJobAsync(blocker.Id, j => j.Status == JobStatus.Running, TimeSpan.FromSeconds(30));
        var sweep = await host.Http.SubmitSweepAsync($$"""
            { "name": "page sweep", "base": {{JsonSerializer.Serialize(TestJobs.Small("base", epochs: 20), ApiClient.Json)}},
              "trials": 5, "seed": 3, "metric": "validationLoss",
              "random": { "learningRate": { "logUniform": [0.01, 3] }, "layers[0].size": { "values": [2, 8] } } }
            """);

        var page = await browser.NewPageAsync(host);
        await page.GotoAsync($"/sweeps/{sweep.Id}");
        var rows = page.Locator("#sweep-ranking tbody tr");
        await Expect(rows).ToHaveCountAsync(5);
        await Expect(page.Locator("#no-values")).ToBeVisibleAsync();
        await Expect(page.Locator("#sweep-metric")).ToHaveTextAsync("validationLoss");

        await host.Http.CancelJobAsync(blocker.Id);
        var finished = await host.Http.WaitUntilSweepFinishedAsync(sweep.Id, TimeSpan.FromMinutes(2));
        Assert.Equal(SweepStatus.Succeeded, finished.Status);

        // Without a reload: the rows in the API's ranking, best first, each with its rank, values and best value.
        for (int i = 0; i < finished.Jobs.Count; i++)
        {
            var job = finished.Jobs[i];
            var row = rows.Nth(i);
            await Expect(row).ToHaveAttributeAsync("data-job-id", job.JobId);
            await Expect(row.Locator(".rank")).ToHaveTextAsync((i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
            await Expect(row.Locator(".best")).ToHaveTextAsync(Format.Number(job.Best));
            await Expect(row.Locator("td[data-setting='layers[0].size']")).ToHaveTextAsync(job.Values["layers[0].size"].GetRawText());
        }
        Assert.True(finished.Jobs.Zip(finished.Jobs.Skip(1)).All(pair => pair.First.Best <= pair.Second.Best));

        // One chart per setting, one marker per job; the log-uniform setting on a log axis.
        await page.WaitForFunctionAsync("() => document.getElementById('sweep-chart-0')?.data?.[0]?.x?.length === 5");
        await page.WaitForFunctionAsync("() => document.getElementById('sweep-chart-1')?.data?.[0]?.x?.length === 5");
        Assert.Equal("log", await page.EvaluateAsync<string>("() => document.getElementById('sweep-chart-0').layout.xaxis.type"));
        Assert.NotEqual("log", await page.EvaluateAsync<string?>("() => document.getElementById('sweep-chart-1').layout.xaxis.type ?? null"));

        await Expect(page.Locator("#compare-link")).ToHaveAttributeAsync("href", $"/compare?jobs={string.Join(",", finished.Jobs.Select(j => j.JobId))}");

        // A job of the sweep links back to it; the sweeps list (in the navigation) shows it finished.
        await page.GotoAsync($"/jobs/{finished.Jobs[0].JobId}");
        await page.ClickAsync("#sweep-link");
        await Expect(page.Locator("h1")).ToContainTextAsync("page sweep");
        await page.ClickAsync("#nav-sweeps");
        await Expect(page.Locator($"#sweeps-table tr[data-sweep-id='{sweep.Id}']")).ToContainTextAsync("succeeded");
    }
}
