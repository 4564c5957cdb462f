using System.Globalization;
using BackpropService.Contracts;
using BackpropService.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BackpropService.Web.Tests;

/// <summary>The step-through page (/explain) in a real browser: Mazur's worked example, editing, size limits, a trained model.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ExplainPageTests(BrowserFixture browser)
{
    /// <summary>
    /// Mazur's published weights after one step ("A Step by Step Backpropagation Example"), w1..w8 in his numbering,
    /// which is the page's (row by row, layer by layer).
    /// </summary>
    private static readonly double[] MazurWeightsAfter = [0.149780716, 0.19956143, 0.24975114, 0.29950229, 0.35891648, 0.408666186, 0.511301270, 0.561370121];

    /// <summary>Mazur's total error before the step.</summary>
    private const double MazurErrorBefore = 0.298371109;

    /// <summary>
    /// The error after the step when the biases are updated too (b ← b − η δ), which Mazur leaves out (his 0.291027924
    /// keeps them): computed independently, by hand-written Python with the same formulas, to 9 digits.
    /// </summary>
    private const double ErrorAfterWithBiasesUpdated = 0.280471447;

    [Fact]
    public async Task The_Mazur_preset_reproduces_his_published_numbers_after_one_step_and_names_BP1_to_BP4()
    {
        await using var host = new DashboardHost();
        var page = await browser.NewPageAsync(host);
        await page.GotoAsync("/explain");
        await page.ClickAsync("#preset-mazur");

        Assert.Equal(MazurErrorBefore, await NumberAsync(page.Locator("#cost")), 9);
        await Expect(page.Locator(".equations dt")).ToHaveTextAsync(["BP1", "BP2", "BP3", "BP4"]);
        await Expect(page.Locator("#parameters th", new() { HasText = "∂C/∂b BP3" }).First).ToBeVisibleAsync();
        // The output δ is labelled BP1, the hidden δ BP2, and each edge's ∂C/∂w BP4, beside the number in the diagram.
        await Expect(page.Locator("#network-diagram g[data-neuron='o1'] text.delta")).ToContainTextAsync("BP1");
        await Expect(page.Locator("#network-diagram g[data-neuron='h1'] text.delta")).ToContainTextAsync("BP2");
        await Expect(page.Locator("#network-diagram g[data-weight='5'] text.edge-label")).ToContainTextAsync("BP4");

        await page.ClickAsync("#step");

        await Expect(page.Locator("#step-log tbody tr")).ToHaveCountAsync(1);
        Assert.Equal(MazurErrorBefore, await NumberAsync(page.Locator("#step-log .before")), 9);
        Assert.Equal(ErrorAfterWithBiasesUpdated, await NumberAsync(page.Locator("#step-log .after")), 9);
        // The page now explains the network after the step: its cost is the step's "after".
        await Expect(page.Locator("#cost")).ToHaveTextAsync(await page.Locator("#step-log .after").TextContentAsync() ?? "");
        string[] weightInputs = ["#w-0-0-0", "#w-0-0-1", "#w-0-1-0", "#w-0-1-1", "#w-1-0-0", "#w-1-0-1", "#w-1-1-0", "#w-1-1-1"];
        for (int i = 0; i < weightInputs.Length; i++)
            Assert.Equal(MazurWeightsAfter[i], Parse(await page.InputValueAsync(weightInputs[i])), i is 1 or 2 or 3 or 4 ? 8 : 9);

        // Clicking an edge opens its details: w5 with its exact gradient and the equation that gave it.
        await page.ClickAsync("#network-diagram g[data-weight='5'] text.edge-label");
        await Expect(page.Locator("#details-title")).ToHaveTextAsync("w5: h1 → o1");
        await Expect(page.Locator("#details")).ToContainTextAsync("BP4: ∂C/∂wˡⱼₖ = aˡ⁻¹ₖ δˡⱼ");
        await page.ClickAsync("#network-diagram g[data-neuron='h1'] circle");
        await Expect(page.Locator("#details")).ToContainTextAsync("BP2");
        await Expect(page.Locator("#details")).ToContainTextAsync("BP3");
        await Screenshots.SaveAsync(page, "explain-page.png");
    }

    [Fact]
    public async Task An_edited_weight_is_explained_again_and_a_network_too_large_to_draw_is_refused_with_the_reason()
    {
        await using var host = new DashboardHost();
        var page = await browser.NewPageAsync(host);
        await page.GotoAsync("/explain");
        await Expect(page.Locator("#cost")).ToBeVisibleAsync();
        string before = await page.Locator("#cost").TextContentAsync() ?? "";

        await page.FillAsync("#w-1-0-0", "1.5");
        await page.PressAsync("#w-1-0-0", "Enter");

        await Expect(page.Locator("#cost")).Not.ToHaveTextAsync(before);
        var expected = await host.Http.PostAsync<ExplainResponse>("api/explain", ExplainPresets.Mazur.Request with
        {
            Layers = [ExplainPresets.Mazur.Request.Layers![0], new ExplainLayer([[1.5, 0.45], [0.50, 0.55]], [0.60, 0.60], Activation.Sigmoid)],
        });
        Assert.Equal(expected.Cost, await NumberAsync(page.Locator("#cost")));

        await page.FillAsync("#shape", "2-9-2");
        await page.ClickAsync("#reshape");
        await Expect(page.Locator("#shape-error")).ToContainTextAsync("at most 8 neurons per layer");
        await page.FillAsync("#shape", "3-4-4-2");
        await page.ClickAsync("#reshape");
        await Expect(page.Locator("#network-diagram g.neuron")).ToHaveCountAsync(13);
        await Expect(page.Locator("#shape-error")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task From_a_model_loads_a_small_trained_model_and_one_sample_and_refuses_a_large_one()
    {
        await using var host = new DashboardHost();
        var small = await host.Http.WaitUntilFinishedAsync((await host.Http.SubmitJobAsync(TestJobs.Small("small-xor"))).Id, TimeSpan.FromSeconds(60));
        var wide = await host.Http.SubmitJobAsync(TestJobs.Small("wide-xor") with
        {
            Layers = [new LayerDefinition(16, Activation.Tanh), new LayerDefinition(2, Activation.Softmax)],
        });
        wide = await host.Http.WaitUntilFinishedAsync(wide.Id, TimeSpan.FromSeconds(60));
        Assert.Equal(JobStatus.Succeeded, small.Status);
        Assert.Equal(JobStatus.Succeeded, wide.Status);

        var page = await browser.NewPageAsync(host);
        await page.GotoAsync("/explain");
        await page.SelectOptionAsync("#model-select", wide.ModelId!);
        await page.ClickAsync("#load-model");
        await Expect(page.Locator("#model-error")).ToContainTextAsync("is 2-16-2, too large to draw here");

        await page.SelectOptionAsync("#model-select", small.ModelId!);
        await page.FillAsync("#model-sample", "3");
        await page.ClickAsync("#load-model");

        // The xor model's 2-4-2 network, sample 3 of its dataset as input, and the outputs /predict gives for that sample.
        await Expect(page.Locator("#network-source")).ToContainTextAsync("sample 3");
        await Expect(page.Locator("#network-diagram g.neuron")).ToHaveCountAsync(8);
        var preview = await host.Http.GetAsync<DatasetPreview>("api/datasets/xor/preview?samples=4");
        Assert.Equal(preview.Samples[3][0], Parse(await page.InputValueAsync("#x-0")), 6);
        Assert.Equal(preview.Samples[3][1], Parse(await page.InputValueAsync("#x-1")), 6);
        var predicted = await host.Http.PostAsync<PredictResponse>($"api/models/{small.ModelId}/predict", new PredictRequest(null, [preview.Samples[3]]));
        var outputs = page.Locator("table.outputs tbody tr td:nth-child(2)");
        for (int j = 0; j < 2; j++)
            Assert.Equal(predicted.Predictions[0].Outputs[j], await NumberAsync(outputs.Nth(j)), 5);

        // A small model's page links here (with its first sample); a large one's does not.
        await page.GotoAsync($"/models/{wide.ModelId}");
        await Expect(page.Locator("#download-model")).ToBeVisibleAsync();
        await Expect(page.Locator("#step-through-model")).ToHaveCountAsync(0);
        await page.GotoAsync($"/models/{small.ModelId}");
        await page.ClickAsync("#step-through-model");
        await Expect(page.Locator("#network-source")).ToContainTextAsync("sample 0");
        Assert.Equal(preview.Samples[0][0], Parse(await page.InputValueAsync("#x-0")), 6);
    }

    [Fact]
    public async Task A_model_with_other_than_dense_layers_is_not_offered_for_the_step_through_and_its_link_says_why()
    {
        await using var host = new DashboardHost();
        var dense = await host.Http.SubmitJobAsync(TestJobs.Small("dense-xor"));
        var dropout = await host.Http.SubmitJobAsync(TestJobs.Small("dropout-xor") with
        {
            Layers =
            [
                new LayerDefinition(2, Activation.Tanh),
                new LayerDefinition(null, null) { Type = LayerType.Dropout, Rate = 0.25 },
                new LayerDefinition(2, Activation.Softmax),
            ],
        });
        dense = await host.Http.WaitUntilFinishedAsync(dense.Id, TimeSpan.FromSeconds(60));
        dropout = await host.Http.WaitUntilFinishedAsync(dropout.Id, TimeSpan.FromSeconds(60));
        Assert.Equal(JobStatus.Succeeded, dense.Status);
        Assert.Equal(JobStatus.Succeeded, dropout.Status);

        var page = await browser.NewPageAsync(host);
        await page.GotoAsync("/explain");
        // Small enough to draw, but a dropout layer has no neurons to show: only the dense model is listed.
        await Expect(page.Locator("#model-select option")).ToHaveCountAsync(1);
        await Expect(page.Locator("#model-select option")).ToHaveAttributeAsync("value", dense.ModelId!);

        await page.GotoAsync($"/explain?model={dropout.ModelId}");
        await Expect(page.Locator("#model-error")).ToContainTextAsync("2 tanh–dropout 0.25–2 softmax: the step-through shows networks of dense layers only");
        await page.GotoAsync($"/models/{dropout.ModelId}");
        await Expect(page.Locator("#download-model")).ToBeVisibleAsync();
        await Expect(page.Locator("#step-through-model")).ToHaveCountAsync(0);
    }

    private static async Task<double> NumberAsync(ILocator locator)
    {
        await Expect(locator).Not.ToBeEmptyAsync();
        return Parse(await locator.TextContentAsync());
    }

    private static double Parse(string? text) => double.Parse(text!.Trim(), CultureInfo.InvariantCulture);
}
