using System.Text.Json;
using BackpropService.Contracts;
using BackpropService.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace BackpropService.Web.Tests;

/// <summary>Comparing jobs (/compare) in a real browser: overlaid curves, the settings that differ, selection on the jobs list.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ComparePageTests(BrowserFixture browser)
{
    /// <summary>Each trace of a Plotly chart: its legend name and how many points it has.</summary>
    private const string Traces = "id => (document.getElementById(id)?.data ?? []).map(t => ({ name: t.name, points: t.x.length }))";

    private static readonly string[] Charts = ["compare-train-loss", "compare-validation-loss", "compare-train-accuracy", "compare-validation-accuracy"];

    [Fact]
    public async Task Compare_draws_one_trace_per_job_on_each_chart_lists_only_the_settings_that_differ_and_names_unknown_ids()
    {
        await using var host = new DashboardHost();
        var slow = await FinishedAsync(host, TestJobs.Small("slow-rate", epochs: 6) with { LearningRate = 0.01 });
        var fast = await FinishedAsync(host, TestJobs.Small("fast-rate", epochs: 6) with { LearningRate = 0.5 });
        var wide = await FinishedAsync(host, TestJobs.Small("wide", epochs: 6) with
        {
            LearningRate = 0.5,
            Layers = [new LayerDefinition(8, Activation.Tanh), new LayerDefinition(2, Activation.Softmax)],
        });
        var page = await browser.NewPageAsync(host);

        await page.GotoAsync($"/compare?jobs={slow.Id},{fast.Id},{wide.Id},no-such-job");

        foreach (var chart in Charts)
        {
            await page.WaitForFunctionAsync($"id => ({Traces})(id).filter(t => t.points === 6).length === 3", chart);
            var traces = await page.EvaluateAsync<JsonElement>(Traces, chart);
            Assert.Equal(["slow-rate", "fast-rate", "wide"], traces.EnumerateArray().Select(t => t.GetProperty("name").GetString()));
        }
        var rows = page.Locator("#settings-table tbody tr");
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(page.Locator("#settings-table tr[data-setting='layers'] td")).ToHaveTextAsync(["4 tanh–2 softmax", "4 tanh–2 softmax", "8 tanh–2 softmax"]);
        await Expect(page.Locator("#settings-table tr[data-setting='learning rate'] td")).ToHaveTextAsync(["0.01", "0.5", "0.5"]);
        await Expect(page.Locator("#settings-table thead th[data-job-id]")).ToHaveCountAsync(3);
        await Expect(page.Locator("#missing-jobs li[data-job-id='no-such-job']")).ToContainTextAsync("there is no job with this id");
        await Screenshots.SaveAsync(page, "compare-page.png");
    }

    [Fact]
    public async Task Jobs_with_equal_settings_say_so_and_a_running_jobs_curve_grows_live()
    {
        await using var host = new DashboardHost();
        var done = await FinishedAsync(host, TestJobs.Small("done", epochs: 3));
        var running = await host.Http.SubmitJobAsync(TestJobs.Slow("running"));
        var page = await browser.NewPageAsync(host);

        await page.GotoAsync($"/compare?jobs={done.Id},{running.Id}");
        await page.WaitForFunctionAsync($"() => ({Traces})('compare-train-loss')[1]?.points >= 1");
        int first = (await page.EvaluateAsync<JsonElement>(Traces, "compare-train-loss"))[1].GetProperty("points").GetInt32();

        // Without a reload: the running job's line gains epochs, the finished one's stays.
        await page.WaitForFunctionAsync($"n => ({Traces})('compare-train-loss')[1].points > n + 1", first);
        var traces = await page.EvaluateAsync<JsonElement>(Traces, "compare-train-loss");
        Assert.Equal(3, traces[0].GetProperty("points").GetInt32());
        await host.Http.CancelJobAsync(running.Id);

        // Two jobs with the same settings: nothing to list, and the page says so.
        await page.GotoAsync($"/compare?jobs={done.Id},{(await FinishedAsync(host, TestJobs.Small("again", epochs: 3))).Id}");
        await Expect(page.Locator("#settings-equal")).ToContainTextAsync("All settings are equal");
        await Expect(page.Locator("#settings-table tbody tr")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task The_jobs_lists_compare_button_opens_the_compare_page_with_the_ticked_jobs()
    {
        await using var host = new DashboardHost();
        var first = await FinishedAsync(host, TestJobs.Small("first", epochs: 2));
        var second = await FinishedAsync(host, TestJobs.Small("second", epochs: 2));
        var third = await FinishedAsync(host, TestJobs.Small("third", epochs: 2));
        var page = await browser.NewPageAsync(host);
        await page.GotoAsync("/");
        var compare = page.Locator("#compare-jobs");
        await Expect(compare).ToBeDisabledAsync();

        await page.CheckAsync($"tr[data-job-id='{first.Id}'] .select-job");
        await Expect(compare).ToBeDisabledAsync();
        await page.CheckAsync($"tr[data-job-id='{third.Id}'] .select-job");
        await Expect(compare).ToBeEnabledAsync();
        await compare.ClickAsync();

        // The list shows the newest first.
        await Expect(page).ToHaveURLAsync(host.BaseAddress + $"compare?jobs={third.Id},{first.Id}");
        await Expect(page.Locator("#settings-table thead th[data-job-id]")).ToHaveCountAsync(2);
        await Expect(page.Locator($"#settings-table thead th[data-job-id='{second.Id}']")).ToHaveCountAsync(0);
    }

    private static async Task<Job> FinishedAsync(DashboardHost host, SubmitJobRequest request)
    {
        var job = await host.Http.WaitUntilFinishedAsync((await host.Http.SubmitJobAsync(request)).Id, TimeSpan.FromSeconds(60));
        Assert.Equal(JobStatus.Succeeded, job.Status);
        return job;
    }
}
