using Microsoft.Playwright;

namespace BackpropService.Web.Tests.Infrastructure;

/// <summary>The screenshots the README shows, taken by the browser tests from real runs.</summary>
public static class Screenshots
{
    /// <summary>
    /// Saves the whole page to the test artifacts and, with UPDATE_SCREENSHOTS=1, to the repository's docs/screenshots
    /// (so a plain test run leaves the work tree clean).
    /// </summary>
    public static async Task SaveAsync(IPage page, string fileName)
    {
        var screenshot = TestFiles.ArtifactPath(fileName);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        if (Environment.GetEnvironmentVariable("UPDATE_SCREENSHOTS") == "1" && TestFiles.ScreenshotsFolder() is { } docs)
        {
            Directory.CreateDirectory(docs);
            File.Copy(screenshot, Path.Combine(docs, fileName), overwrite: true);
        }
    }
}
