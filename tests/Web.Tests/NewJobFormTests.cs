using System.Text.RegularExpressions;
using BackpropService.Contracts;
using BackpropService.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BackpropService.Web.Tests;

/// <summary>The "New job" form on the jobs page, in a real browser.</summary>
[Collection(BrowserCollection.Name)]
public sealed partial class NewJobFormTests(BrowserFixture browser)
{
    [Fact]
    public async Task The_APIs_validation_message_appears_beside_the_field_it_names_and_no_job_is_created()
    {
        await using var host = new DashboardHost();
        var page = await OpenTheFormAsync(host);

        // XOR has 2 outputs; an output layer of 3 is refused by the API (layers[1].size).
        await page.ClickAsync("#preset-xor");
        await page.FillAsync("#layer-size-1", "3");
        await page.ClickAsync("#submit-job");

        var outputRow = page.Locator(".layer[data-layer='1']");
        await Expect(outputRow.Locator(".field-error")).ToHaveTextAsync(OutputSizeMessage());
        await Expect(page.Locator("#layer-size-1")).ToHaveClassAsync(Invalid());
        // Once: beside the row, not repeated under the layer list.
        await Expect(page.Locator("#new-job .field-error")).ToHaveCountAsync(1);
        await Expect(page.Locator("#submit-error")).ToContainTextAsync("see the messages beside the fields");

        // Fix that, break the learning rate: the message moves to the learning-rate field.
        await page.FillAsync("#layer-size-1", "2");
        await page.FillAsync("#job-lr", "0");
        await page.ClickAsync("#submit-job");

        var learningRateField = page.Locator(".field", new() { Has = page.Locator("#job-lr") });
        await Expect(learningRateField.Locator(".field-error")).ToHaveTextAsync(LearningRateMessage());
        await Expect(page.Locator("#job-lr")).ToHaveClassAsync(Invalid());
        await Expect(page.Locator("#new-job .field-error")).ToHaveCountAsync(1);
        await Expect(page.Locator("#layer-size-1")).Not.ToHaveClassAsync(Invalid());

        Assert.Equal(new Uri(host.BaseAddress, "/").ToString(), page.Url);
        Assert.Empty(await host.Http.GetAsync<List<Job>>("api/jobs"));
    }

    [Fact]
    public async Task Switching_a_rows_type_shows_only_that_types_fields_filled_with_defaults_and_the_rows_move_up_and_down()
    {
        await using var host = new DashboardHost();
        var page = await OpenTheFormAsync(host);

        // XOR: 8 tanh, 2 softmax; a new row goes in before the output.
        await page.ClickAsync("#preset-xor");
        await page.ClickAsync("#add-layer");
        var row = page.Locator(".layer[data-layer='1']");
        await Expect(page.Locator("#layer-size-1")).ToHaveValueAsync("16");

        await page.SelectOptionAsync("#layer-type-1", new SelectOptionValue { Label = "conv2d" });
        await Expect(row).ToHaveAttributeAsync("data-type", "conv2d");
        await Expect(page.Locator("#layer-filters-1")).ToHaveValueAsync("16");
        await Expect(page.Locator("#layer-kernel-1")).ToHaveValueAsync("3");
        await Expect(page.Locator("#layer-stride-1")).ToHaveValueAsync("1");
        await Expect(page.Locator("#layer-padding-1")).ToHaveValueAsync("0");
        await Expect(page.Locator("#layer-activation-1 option:checked")).ToHaveTextAsync("relu");
        await Expect(row.Locator("input")).ToHaveCountAsync(4);
        await page.FillAsync("#layer-kernel-1", "5");

        await page.SelectOptionAsync("#layer-type-1", new SelectOptionValue { Label = "maxPool" });
        await Expect(page.Locator("#layer-pool-1")).ToHaveValueAsync("2");
        await Expect(row.Locator("input")).ToHaveCountAsync(1);
        await Expect(page.Locator("#layer-activation-1")).ToHaveCountAsync(0);

        await page.SelectOptionAsync("#layer-type-1", new SelectOptionValue { Label = "dropout" });
        await Expect(page.Locator("#layer-rate-1")).ToHaveValueAsync("0.5");
        await Expect(row.Locator("input")).ToHaveCountAsync(1);

        // Back to conv2d: what was typed there is still there.
        await page.SelectOptionAsync("#layer-type-1", new SelectOptionValue { Label = "conv2d" });
        await Expect(page.Locator("#layer-kernel-1")).ToHaveValueAsync("5");
        await Expect(page.Locator("#layer-size-1")).ToHaveCountAsync(0);

        // Up: the conv row goes first and the dense 8 tanh row second.
        await page.ClickAsync("#layer-up-1");
        await Expect(page.Locator(".layer[data-layer='0']")).ToHaveAttributeAsync("data-type", "conv2d");
        await Expect(page.Locator("#layer-kernel-0")).ToHaveValueAsync("5");
        await Expect(page.Locator("#layer-size-1")).ToHaveValueAsync("8");
        await Expect(page.Locator("#layer-up-0")).ToBeDisabledAsync();
        await Expect(page.Locator("#layer-down-2")).ToBeDisabledAsync();
        await page.ClickAsync("#layer-down-0");
        await Expect(page.Locator(".layer[data-layer='1']")).ToHaveAttributeAsync("data-type", "conv2d");
        await page.ClickAsync("#layer-remove-1");
        await Expect(page.Locator(".layer")).ToHaveCountAsync(2);
        await Expect(page.Locator("#layer-size-1")).ToHaveValueAsync("2");
    }

    [Fact]
    public async Task The_convolutional_mnist_preset_fills_six_rows_and_asks_for_an_upload_when_there_is_no_mnist()
    {
        await using var host = new DashboardHost();
        var page = await OpenTheFormAsync(host);

        await page.ClickAsync("#preset-mnist-conv");

        string[] types = ["conv2d", "maxPool", "conv2d", "maxPool", "dense", "dense"];
        await Expect(page.Locator(".layer")).ToHaveCountAsync(types.Length);
        for (int i = 0; i < types.Length; i++)
            await Expect(page.Locator($".layer[data-layer='{i}']")).ToHaveAttributeAsync("data-type", types[i]);
        await Expect(page.Locator("#layer-filters-0")).ToHaveValueAsync("20");
        await Expect(page.Locator("#layer-kernel-0")).ToHaveValueAsync("5");
        await Expect(page.Locator("#layer-pool-1")).ToHaveValueAsync("2");
        await Expect(page.Locator("#layer-filters-2")).ToHaveValueAsync("40");
        await Expect(page.Locator("#layer-size-4")).ToHaveValueAsync("100");
        await Expect(page.Locator("#layer-activation-5 option:checked")).ToHaveTextAsync("softmax");
        await Expect(page.Locator("#job-optimizer option:checked")).ToHaveTextAsync("momentum");
        await Expect(page.Locator("#job-init option:checked")).ToHaveTextAsync("he");
        await Expect(page.Locator(".alert.info")).ToContainTextAsync("Upload MNIST first");
        // No dataset chosen yet, so no input to show.
        await Expect(page.Locator("#input-shape")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task The_APIs_message_about_a_conv_rows_kernel_appears_at_that_row_beside_the_kernel()
    {
        await using var host = new DashboardHost();
        var page = await OpenTheFormAsync(host);

        await page.ClickAsync("#preset-xor");
        await page.ClickAsync("#add-layer");
        await page.SelectOptionAsync("#layer-type-1", new SelectOptionValue { Label = "conv2d" });
        await page.FillAsync("#layer-kernel-1", "0");
        await page.ClickAsync("#submit-job");

        await Expect(page.Locator(".layer[data-layer='1'] .field-error[data-field='layers[1]']").First).ToContainTextAsync("at least 1");
        await Expect(page.Locator("#layer-kernel-1")).ToHaveClassAsync(Invalid());
        await Expect(page.Locator("#layer-filters-1")).Not.ToHaveClassAsync(Invalid());
        await Expect(page.Locator(".layer[data-layer='0'] .field-error")).ToHaveCountAsync(0);
        Assert.Empty(await host.Http.GetAsync<List<Job>>("api/jobs"));
    }

    [Fact]
    public async Task A_job_built_from_the_convolutional_preset_and_added_rows_reaches_the_API_with_each_rows_type_and_fields()
    {
        await using var host = new DashboardHost();
        // The 2,000 test digits: an upload of 28×28 images is all the preset needs.
        var digits = await host.Http.UploadMnistTestDigitsAsync();
        var page = await OpenTheFormAsync(host);

        await page.ClickAsync("#preset-mnist-conv");
        await Expect(page.Locator("#job-dataset")).ToHaveValueAsync(digits.Id);
        await Expect(page.Locator(".alert.info")).ToHaveCountAsync(0);
        await Expect(page.Locator("#input-shape")).ToHaveTextAsync("1×28×28 (channels × height × width)");
        // One more row before the output: dropout, then moved up above the dense 100.
        await page.ClickAsync("#add-layer");
        await page.SelectOptionAsync("#layer-type-5", new SelectOptionValue { Label = "dropout" });
        await page.FillAsync("#layer-rate-5", "0.25");
        await page.ClickAsync("#layer-up-5");
        // And the second convolution padded, with a stride of 1 written out.
        await page.FillAsync("#layer-padding-2", "2");
        await page.FillAsync("#job-epochs", "1");
        await page.ClickAsync("#submit-job");

        await Expect(page).ToHaveURLAsync(JobUrl());
        var job = await host.Http.GetAsync<Job>($"api/jobs/{new Uri(page.Url).Segments[^1]}");
        await host.Http.CancelJobAsync(job.Id);
        LayerShape Conv(int filters, int padding) =>
            new(null, Activation.Relu) { Type = LayerType.Conv2d, Filters = filters, Kernel = 5, Stride = 1, Padding = padding };
        LayerShape Pool() => new(2, null) { Type = LayerType.MaxPool };
        Assert.Equal(
            [
                Conv(20, 0), Pool(), Conv(40, 2), Pool(), new LayerShape(null, null) { Type = LayerType.Dropout, Rate = 0.25 },
                new LayerShape(100, Activation.Relu), new LayerShape(10, Activation.Softmax),
            ],
            job.Options.Layers);
        Assert.Equal((digits.Id, Cost.CrossEntropy, Optimizer.Momentum, 0.01, 0.9, 32, Initialization.He),
            (job.DatasetId, job.Options.Cost, job.Options.Optimizer, job.Options.LearningRate, job.Options.Momentum, job.Options.BatchSize, job.Options.Init));
    }

    /// <summary>The jobs page, signed in, once it has shown that there are no jobs yet.</summary>
    private async Task<IPage> OpenTheFormAsync(DashboardHost host)
    {
        var page = await browser.NewPageAsync(host);
        await page.GotoAsync("/");
        await Expect(page.Locator("#no-jobs")).ToBeVisibleAsync();
        return page;
    }

    [GeneratedRegex(@"/jobs/[0-9a-f]{32}$")]
    private static partial Regex JobUrl();

    [GeneratedRegex(@"^The output layer must have 2 neurons to match dataset 'xor' \(2 outputs\), got 3\.$")]
    private static partial Regex OutputSizeMessage();

    [GeneratedRegex(@"^The learning rate must be greater than 0")]
    private static partial Regex LearningRateMessage();

    [GeneratedRegex(@"\binvalid\b")]
    private static partial Regex Invalid();
}
