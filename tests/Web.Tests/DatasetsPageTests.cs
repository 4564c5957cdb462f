using BackpropService.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace BackpropService.Web.Tests;

/// <summary>The datasets page in a real browser.</summary>
public sealed class DatasetsPageTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task The_built_in_datasets_are_listed_and_one_previews_its_class_distribution()
    {
        await using var host = new DashboardHost();
        var page = await browser.NewPageAsync(host.BaseAddress);
        await page.GotoAsync("/datasets");

        var xor = page.Locator("#datasets-table tr[data-dataset-id='xor']");
        await Expect(xor).ToBeVisibleAsync();
        await xor.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Preview" }).ClickAsync();
        await Expect(page.Locator("#dataset-preview .bar-row")).ToHaveCountAsync(2);
    }
}
