using System.Text.RegularExpressions;
using BackpropService.Contracts;
using BackpropService.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace BackpropService.Web.Tests;

/// <summary>Jobs in a real browser: submit from the form, watch one live, cancel one.</summary>
[Collection(BrowserCollection.Name)]
public sealed partial class JobPageTests(BrowserFixture browser)
{
    private const string LossPoints = "() => document.getElementById('loss-chart')?.data?.[0]?.x?.length ?? 0";

    [Fact]
    public async Task A_job_submitted_from_the_form_opens_its_page_where_the_epoch_climbs_and_the_loss_chart_gains_points_while_it_runs()
    {
        await using var host = new DashboardHost();
        var page = await browser.NewPageAsync(host);
        await page.GotoAsync("/");
        await Expect(page.Locator("#no-jobs")).ToBeVisibleAsync();

        // The spirals preset, made slow enough to watch: wide layers, tiny batches, many epochs.
        await page.ClickAsync("#preset-spirals");
        await page.FillAsync("#job-name", "watched");
        await page.FillAsync("#layer-size-0", "256");
        await page.FillAsync("#layer-size-1", "256");
        await page.FillAsync("#job-batch", "2");
        await page.FillAsync("#job-epochs", "3000");
        await page.FillAsync("#job-patience", "");
        await page.ClickAsync("#submit-job");

        await Expect(page).ToHaveURLAsync(JobUrl());
        var epochText = page.Locator("#epoch-text");
        await Expect(epochText).ToHaveTextAsync(RunningEpoch());
        int firstEpoch = EpochOf(await epochText.TextContentAsync());
        await page.WaitForFunctionAsync($"n => ({LossPoints})() >= n", firstEpoch);
        int firstPoints = await page.EvaluateAsync<int>(LossPoints);

        // A second look, without a reload: more epochs, more points, still running.
        await page.WaitForFunctionAsync(
            "n => parseInt((document.getElementById('epoch-text').textContent.match(/Epoch (\\d+)/) || [0, 0])[1]) > n", firstEpoch + 2);
        await page.WaitForFunctionAsync($"n => ({LossPoints})() > n", firstPoints + 2);
        int secondEpoch = EpochOf(await epochText.TextContentAsync());
        Assert.True(secondEpoch > firstEpoch, $"epoch {firstEpoch} then {secondEpoch}");
        await Expect(page.Locator(".badge[data-status]")).ToHaveTextAsync("running");
        await Expect(page.Locator("#gradient-chart")).ToBeVisibleAsync();
        await page.WaitForFunctionAsync("() => (document.getElementById('boundary-chart')?.data?.length ?? 0) > 1");

        await Screenshots.SaveAsync(page, "job-page.png");

        var id = new Uri(page.Url).Segments[^1];
        await host.Http.CancelJobAsync(id);
    }

    [Fact]
    public async Task A_running_job_is_cancelled_from_its_page_and_keeps_its_model()
    {
        await using var host = new DashboardHost();
        var job = await host.Http.SubmitJobAsync(TestJobs.Slow("to-cancel"));
        var page = await browser.NewPageAsync(host);
        await page.GotoAsync($"/jobs/{job.Id}");

        await Expect(page.Locator("#epoch-text")).ToHaveTextAsync(RunningEpoch());
        await page.ClickAsync("#cancel-job");

        await Expect(page.Locator(".badge[data-status]")).ToHaveTextAsync("cancelled");
        await Expect(page.Locator("#cancel-job")).ToHaveCountAsync(0);
        await Expect(page.Locator("#model-link")).ToBeVisibleAsync();
        var stored = await host.Http.GetAsync<Job>($"api/jobs/{job.Id}");
        Assert.Equal(JobStatus.Cancelled, stored.Status);
        Assert.True(stored.Epoch < stored.Epochs);
    }

    [Fact]
    public async Task The_gradient_norms_chart_has_one_series_per_layer_with_weights_named_after_it_and_they_grow_live()
    {
        await using var host = new DashboardHost();
        // Dropout has no weights: the engine reports a norm for layers 1 and 3 only.
        var job = await host.Http.SubmitJobAsync(new SubmitJobRequest
        {
            Name = "with-dropout",
            DatasetId = "spirals",
            Layers =
            [
                new LayerDefinition(256, Activation.Tanh),
                new LayerDefinition(null, null) { Type = LayerType.Dropout, Rate = 0.25 },
                new LayerDefinition(2, Activation.Softmax),
            ],
            Cost = Cost.CrossEntropy,
            Optimizer = Optimizer.Adam,
            LearningRate = 0.01,
            BatchSize = 2,
            Epochs = 5000,
        });
        var page = await browser.NewPageAsync(host);
        await page.GotoAsync($"/jobs/{job.Id}");

        await page.WaitForFunctionAsync($"() => ({GradientPoints})() >= 1");
        Assert.Equal(["layer 1 dense 256", "layer 3 dense 2"], await page.EvaluateAsync<string[]>(GradientSeriesNames));
        int firstPoints = await page.EvaluateAsync<int>(GradientPoints);
        // Without a reload, as the epochs arrive.
        await page.WaitForFunctionAsync($"n => ({GradientPoints})() > n", firstPoints + 1);
        Assert.Equal(["layer 1 dense 256", "layer 3 dense 2"], await page.EvaluateAsync<string[]>(GradientSeriesNames));

        await host.Http.CancelJobAsync(job.Id);
    }

    [Fact]
    public async Task A_convolutional_jobs_page_shows_a_gradient_norm_series_for_each_conv_and_dense_layer()
    {
        await using var host = new DashboardHost();
        var dataset = await host.Http.UploadMnistTestDigitsAsync();
        var job = await host.Http.SubmitJobAsync(new SubmitJobRequest
        {
            Name = "conv",
            DatasetId = dataset.Id,
            Layers =
            [
                new LayerDefinition(null, Activation.Relu) { Type = LayerType.Conv2d, Filters = 4, Kernel = 5 },
                new LayerDefinition(2, null) { Type = LayerType.MaxPool },
                new LayerDefinition(null, Activation.Relu) { Type = LayerType.Conv2d, Filters = 6, Kernel = 3, Stride = 2, Padding = 1 },
                new LayerDefinition(10, Activation.Softmax),
            ],
            Cost = Cost.CrossEntropy,
            Optimizer = Optimizer.Adam,
            LearningRate = 0.005,
            BatchSize = 16,
            Epochs = 200,
        });
        var page = await browser.NewPageAsync(host);
        await page.GotoAsync($"/jobs/{job.Id}");

        await page.WaitForFunctionAsync($"() => ({GradientPoints})() >= 1");
        Assert.Equal(["layer 1 conv2d 4×5×5", "layer 3 conv2d 6×3×3 stride 2 pad 1", "layer 4 dense 10"],
            await page.EvaluateAsync<string[]>(GradientSeriesNames));
        await Expect(page.Locator("p.mono")).ToContainTextAsync("conv2d 4×5×5 relu–maxPool 2–conv2d 6×3×3 stride 2 pad 1 relu–10 softmax");

        await host.Http.CancelJobAsync(job.Id);
    }

    private const string GradientSeriesNames = "() => document.getElementById('gradient-chart').data.map(trace => trace.name)";

    /// <summary>The points of the shortest gradient series (0 before the chart is drawn).</summary>
    private const string GradientPoints = 
        "() => { const data = document.getElementById('gradient-chart')?.data ?? []; return data.length ? Math.min(...data.map(trace => trace.x.length)) : 0; }";

    private static int EpochOf(string? text) => int.Parse(EpochNumber().Match(text ?? "").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex(@"/jobs/[0-9a-f]{32}$")]
    private static partial Regex JobUrl();

    [GeneratedRegex(@"^Epoch [1-9]\d* / \d+$")]
    private static partial Regex RunningEpoch();

    [GeneratedRegex(@"Epoch (\d+)")]
    private static partial Regex EpochNumber();
}
