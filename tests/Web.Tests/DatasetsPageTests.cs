using System.Text;
using BackpropService.Contracts;
using BackpropService.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BackpropService.Web.Tests;

/// <summary>The datasets page in a real browser.</summary>
[Collection(BrowserCollection.Name)]
public sealed class DatasetsPageTests(BrowserFixture browser)
{
    [Fact]
    public async Task The_built_in_datasets_are_listed_and_one_previews_its_class_distribution()
    {
        await using var host = new DashboardHost();
        var page = await browser.NewPageAsync(host);
        await page.GotoAsync("/datasets");

        var xor = page.Locator("#datasets-table tr[data-dataset-id='xor']");
        await Expect(xor).ToBeVisibleAsync();
        await xor.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Preview" }).ClickAsync();
        await Expect(page.Locator("#dataset-preview .bar-row")).ToHaveCountAsync(2);
    }

    [Fact]
    public async Task The_upload_limit_is_the_services_own_and_a_larger_file_is_refused_before_it_is_sent()
    {
        await using var host = new DashboardHost(new Dictionary<string, string?> { ["Limits:MaxUploadBytes"] = "4096" });
        var page = await browser.NewPageAsync(host);
        await page.GotoAsync("/datasets");
        await Expect(page.Locator("#upload-limit")).ToHaveTextAsync("up to 4 KB per upload");

        var rows = string.Concat(Enumerable.Range(0, 2000).Select(i => $"{i % 7},{i % 2}\n"));
        await page.Locator("#upload-file").SetInputFilesAsync(new FilePayload
        {
            Name = "big.csv",
            MimeType = "text/csv",
            Buffer = Encoding.UTF8.GetBytes("x,label\n" + rows),
        });
        await page.FillAsync("#upload-name", "too-big");
        await page.ClickAsync("#upload-button");

        await Expect(page.Locator(".alert.error")).ToContainTextAsync("the service accepts at most 4 KB");
        var datasets = await host.Http.GetAsync<List<DatasetInfo>>("api/datasets");
        Assert.DoesNotContain(datasets, d => d.Name == "too-big");
    }

    [Fact]
    public async Task A_csv_uploaded_with_a_shape_lists_it_beside_its_features_and_a_shape_that_does_not_fit_is_explained_under_the_field()
    {
        await using var host = new DashboardHost();
        var page = await browser.NewPageAsync(host);
        await page.GotoAsync("/datasets");
        var csv = new FilePayload
        {
            Name = "tiles.csv",
            MimeType = "text/csv",
            Buffer = Encoding.UTF8.GetBytes("a,b,c,d,e,f,label\n" + string.Concat(Enumerable.Range(0, 10).Select(i => $"{i},1,2,3,4,5,{i % 2}\n"))),
        };

        await page.Locator("#upload-file").SetInputFilesAsync(csv);
        // The page has the file once it names it (the browser hands it over asynchronously).
        await Expect(page.Locator("#upload-file-chosen")).ToContainTextAsync("tiles.csv");
        await page.FillAsync("#upload-shape", "1,2,4");
        await page.ClickAsync("#upload-button");
        await Expect(page.Locator(".field", new() { HasText = "Shape" })).ToContainTextAsync("the file has 6 feature columns");

        await page.FillAsync("#upload-shape", "1x2x3");
        await page.ClickAsync("#upload-button");
        var uploaded = page.Locator("#datasets-table tr", new() { HasText = "tiles" });
        await Expect(uploaded).ToContainTextAsync("6 (1×2×3) → 2");
        await Expect(page.Locator("#datasets-table tr[data-dataset-id='xor']")).Not.ToContainTextAsync("×");
    }
}
