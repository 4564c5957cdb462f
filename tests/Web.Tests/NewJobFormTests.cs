using System.Text.RegularExpressions;
using BackpropService.Contracts;
using BackpropService.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BackpropService.Web.Tests;

/// <summary>The "New job" form on the jobs page, in a real browser.</summary>
public sealed partial class NewJobFormTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task The_APIs_validation_message_appears_beside_the_field_it_names_and_no_job_is_created()
    {
        await using var host = new DashboardHost();
        var page = await browser.NewPageAsync(host.BaseAddress);
        await page.GotoAsync("/");
        await Expect(page.Locator("#no-jobs")).ToBeVisibleAsync();

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

    [GeneratedRegex(@"^The output layer must have 2 neurons to match dataset 'xor' \(2 outputs\), got 3\.$")]
    private static partial Regex OutputSizeMessage();

    [GeneratedRegex(@"^The learning rate must be greater than 0")]
    private static partial Regex LearningRateMessage();

    [GeneratedRegex(@"\binvalid\b")]
    private static partial Regex Invalid();
}
