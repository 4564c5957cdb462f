using Microsoft.Playwright;

namespace BackpropService.Web.Tests.Infrastructure;

/// <summary>One headless Debian Chromium for the test run (<see cref="BrowserCollection"/>; a Playwright browser download cannot work here).</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>How long actions and assertions wait for the page (ms): generous for a loaded 2-core CI machine.</summary>
    private const float WaitMilliseconds = 30_000;

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(ChromiumPath), $"{ChromiumPath} is missing: install Debian's chromium package (apt-get install chromium); .ci/run does.");
        _playwright = await Playwright.CreateAsync();
        // Expect(...) waits for its condition; its 5 s default was too short on a loaded 2-core CI machine (a cancel from
        // the job page once took longer to reach the page), so assertions wait as long as actions do.
        Assertions.SetDefaultExpectTimeout(WaitMilliseconds);
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
        });
    }

    /// <summary>A fresh page (own context) on <paramref name="host"/>, signed in with <see cref="DashboardHost.AdminKey"/>.</summary>
    public async Task<IPage> NewPageAsync(DashboardHost host) => await SignInAsync(await NewSignedOutPageAsync(host), DashboardHost.AdminKey);

    /// <summary>Signs <paramref name="page"/>'s browser context in the way a person does: /login, the key, submit.</summary>
    public static async Task<IPage> SignInAsync(IPage page, string key)
    {
        await page.GotoAsync("/login");
        await page.FillAsync("#api-key", key);
        await page.ClickAsync("#sign-in");
        await page.WaitForURLAsync(url => !new Uri(url).AbsolutePath.StartsWith("/login", StringComparison.Ordinal));
        return page;
    }

    /// <summary>
    /// A fresh page (own context, no session) on <paramref name="host"/> with a desktop-sized viewport; the host closes
    /// it before it stops.
    /// </summary>
    public async Task<IPage> NewSignedOutPageAsync(DashboardHost host)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = host.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1400, Height = 1000 },
        });
        host.Owns(context);
        context.SetDefaultTimeout(WaitMilliseconds);
        return await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
    }
}
