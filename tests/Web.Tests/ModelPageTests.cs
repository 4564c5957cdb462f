using System.Text.RegularExpressions;
using BackpropService.Contracts;
using BackpropService.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BackpropService.Web.Tests;

/// <summary>A model's page in a real browser: the digit canvas of an MNIST model.</summary>
[Collection(BrowserCollection.Name)]
public sealed partial class ModelPageTests(BrowserFixture browser)
{
    [Fact]
    public async Task Drawing_a_digit_on_an_mnist_models_canvas_shows_the_predicted_class_and_probabilities()
    {
        var mnist = TestFiles.MnistFolder();
        Assert.True(Directory.Exists(mnist), $"The MNIST subset is missing at {mnist}; set MNIST_DIR or provide shared/data/mnist-10k.");
        await using var host = new DashboardHost();
        var dataset = await host.Http.UploadIdxAsync(
            Path.Combine(mnist, "train-images-idx3-ubyte.gz"), Path.Combine(mnist, "train-labels-idx1-ubyte.gz"), "mnist-10k");
        var job = await host.Http.SubmitJobAsync(new SubmitJobRequest
        {
            Name = "digits",
            DatasetId = dataset.Id,
            Layers = [new LayerDefinition(30, Activation.Sigmoid), new LayerDefinition(10, Activation.Softmax)],
            Cost = Cost.CrossEntropy,
            Optimizer = Optimizer.Adam,
            LearningRate = 0.005,
            BatchSize = 32,
            Epochs = 2,
        });
        var trained = await host.Http.WaitUntilFinishedAsync(job.Id, TimeSpan.FromSeconds(90));
        Assert.Equal(JobStatus.Succeeded, trained.Status);

        var page = await browser.NewPageAsync(host);
        await page.GotoAsync($"/models/{trained.ModelId}");
        var canvas = page.Locator("#digit-canvas");
        await Expect(canvas).ToBeVisibleAsync();

        await DrawAOneAndPredictAsync(page, canvas);

        await Expect(page.Locator("#predicted-class")).ToHaveTextAsync(Digit());
        await Expect(page.Locator("#prediction .bar-row")).ToHaveCountAsync(10);
    }

    [Fact]
    public async Task A_convolutional_models_page_lists_its_layers_and_its_digit_canvas_predicts()
    {
        await using var host = new DashboardHost();
        // The 2,000 test digits and one epoch: enough for a model that answers (what it answers is not the point here).
        var dataset = await host.Http.UploadMnistTestDigitsAsync();
        var job = await host.Http.SubmitJobAsync(new SubmitJobRequest
        {
            Name = "digits-conv",
            DatasetId = dataset.Id,
            Layers =
            [
                new LayerDefinition(null, Activation.Relu) { Type = LayerType.Conv2d, Filters = 4, Kernel = 5 },
                new LayerDefinition(2, null) { Type = LayerType.MaxPool },
                new LayerDefinition(10, Activation.Softmax),
            ],
            Cost = Cost.CrossEntropy,
            Optimizer = Optimizer.Adam,
            LearningRate = 0.005,
            BatchSize = 32,
            Epochs = 1,
        });
        var trained = await host.Http.WaitUntilFinishedAsync(job.Id, TimeSpan.FromSeconds(90));
        Assert.Equal(JobStatus.Succeeded, trained.Status);

        var page = await browser.NewPageAsync(host);
        await page.GotoAsync($"/models/{trained.ModelId}");
        await Expect(page.Locator("#input-shape")).ToHaveTextAsync("1×28×28 (784 values)");
        await Expect(page.Locator("#architecture tbody tr td:nth-child(2)")).ToHaveTextAsync(
            ["1×28×28 (784 values)", "conv2d 4×5×5 relu", "maxPool 2", "10 softmax"]);
        // The step-through draws dense networks only.
        await Expect(page.Locator("#download-model")).ToBeVisibleAsync();
        await Expect(page.Locator("#step-through-model")).ToHaveCountAsync(0);

        await DrawAOneAndPredictAsync(page, page.Locator("#digit-canvas"));

        await Expect(page.Locator("#predicted-class")).ToHaveTextAsync(Digit());
        await Expect(page.Locator("#prediction .bar-row")).ToHaveCountAsync(10);
        await Expect(page.Locator("#predict-error")).ToHaveCountAsync(0);
    }

    /// <summary>A "1": one vertical stroke down the middle of the canvas, then "What digit is this?".</summary>
    private static async Task DrawAOneAndPredictAsync(IPage page, ILocator canvas)
    {
        var box = (await canvas.BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(box.X + box.Width / 2, box.Y + box.Height * 0.15f);
        await page.Mouse.DownAsync();
        for (int step = 1; step <= 10; step++)
            await page.Mouse.MoveAsync(box.X + box.Width / 2, box.Y + box.Height * (0.15f + 0.07f * step));
        await page.Mouse.UpAsync();
        await page.ClickAsync("#predict-digit");
    }

    [Fact]
    public async Task An_admin_sets_an_alias_with_the_form_and_sees_it_listed_beside_who_created_the_model()
    {
        await using var host = new DashboardHost();
        var job = await host.Http.SubmitJobAsync(TestJobs.Small("aliased"));
        var trained = await host.Http.WaitUntilFinishedAsync(job.Id, TimeSpan.FromSeconds(60));
        Assert.Equal(JobStatus.Succeeded, trained.Status);

        var page = await browser.NewPageAsync(host);
        await page.GotoAsync($"/models/{trained.ModelId}");
        await Expect(page.Locator("#created-by")).ToHaveTextAsync(CreatedByAdmin());

        // An unknown version: the API's 404 is shown beside the form, and no alias is listed.
        await page.FillAsync("#alias-name", "prod");
        await page.FillAsync("#alias-version", "9");
        await page.ClickAsync("#set-alias");
        await Expect(page.Locator("#alias-error")).ToContainTextAsync("9");
        await Expect(page.Locator("#aliases-table")).ToHaveCountAsync(0);

        await page.FillAsync("#alias-version", "1");
        await page.ClickAsync("#set-alias");
        await Expect(page.Locator("#aliases-table tr[data-alias='prod']")).ToContainTextAsync("v1");
        await Expect(page.Locator("#alias-error")).ToHaveCountAsync(0);
    }

    [GeneratedRegex(@"^created by admin")]
    private static partial Regex CreatedByAdmin();

    [GeneratedRegex(@"^[0-9]$")]
    private static partial Regex Digit();
}
