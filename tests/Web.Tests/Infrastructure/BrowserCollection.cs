namespace BackpropService.Web.Tests.Infrastructure;

/// <summary>
/// The browser test classes: they share one Chromium for the whole run (launching one per class cost a few seconds
/// each); each test still gets its own browser context, which is cheap and shares nothing with the others.
/// </summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser";
}
