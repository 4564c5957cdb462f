using System.Net;
using System.Text.RegularExpressions;
using BackpropService.Api.Tests.Infrastructure;

namespace BackpropService.Api.Tests;

/// <summary>
/// The dashboard's session over plain HTTP: pages and the circuit need it, the sign-in page and static assets do
/// not, and the REST API never accepts it (only keys in headers), so a signed-in browser cannot be driven across sites.
/// </summary>
public sealed class DashboardAccessTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Theory]
    [InlineData("/", "%2F")]
    [InlineData("/models", "%2Fmodels")]
    [InlineData("/jobs/abc", "%2Fjobs%2Fabc")]
    public async Task A_page_without_a_session_redirects_to_the_sign_in_page_with_the_way_back(string path, string returnUrl)
    {
        await using var factory = _database.CreateFactory();
        using var browser = NoRedirects(factory);

        var response = await browser.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/login?returnUrl={returnUrl}", response.Headers.Location?.PathAndQuery);
    }

    [Fact]
    public async Task The_sign_in_page_and_the_static_assets_need_no_session_but_the_circuit_does()
    {
        await using var factory = _database.CreateFactory();
        using var browser = NoRedirects(factory);

        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/login")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/_framework/blazor.web.js")).StatusCode);
        var negotiate = await browser.PostAsync("/_blazor/negotiate?negotiateVersion=1", null);
        Assert.NotEqual(HttpStatusCode.OK, negotiate.StatusCode);
    }

    [Fact]
    public async Task A_signed_in_session_opens_the_pages_but_the_REST_API_does_not_accept_its_cookie()
    {
        await using var factory = _database.CreateFactory();
        using var browser = factory.CreateClientWithKey(null); // keeps cookies, like a browser

        var signedIn = await SignInAsync(browser, ServiceFactory.AdminKey);
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        Assert.Equal("/", signedIn.RequestMessage!.RequestUri!.AbsolutePath);

        var api = await browser.GetAsync("/api/jobs");
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        var import = await browser.PostAsync("/api/models", new ByteArrayContent([1, 2, 3]));
        Assert.Equal(HttpStatusCode.Unauthorized, import.StatusCode);
    }

    [Fact]
    public async Task A_sign_out_posted_from_another_site_is_refused_and_one_from_the_dashboard_ends_the_session()
    {
        await using var factory = _database.CreateFactory();
        using var browser = factory.CreateClientWithKey(null);
        await SignInAsync(browser, ServiceFactory.AdminKey);

        using var foreign = new HttpRequestMessage(HttpMethod.Post, "/logout");
        foreign.Headers.Add("Origin", "http://evil.example");
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.SendAsync(foreign)).StatusCode);
        Assert.Equal("/models", (await browser.GetAsync("/models")).RequestMessage!.RequestUri!.AbsolutePath);

        using var own = new HttpRequestMessage(HttpMethod.Post, "/logout");
        own.Headers.Add("Origin", "http://localhost");
        var signedOut = await browser.SendAsync(own);
        Assert.Equal("/login", signedOut.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Equal("/login", (await browser.GetAsync("/models")).RequestMessage!.RequestUri!.AbsolutePath);
    }

    /// <summary>Posts the sign-in form as a browser would: with the antiforgery token and form name the page rendered.</summary>
    private static async Task<HttpResponseMessage> SignInAsync(HttpClient browser, string key)
    {
        var page = await browser.GetStringAsync("/login");
        var form = new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = HiddenValue(page, "__RequestVerificationToken"),
            ["_handler"] = HiddenValue(page, "_handler"),
            ["Key"] = key,
        };
        return await browser.PostAsync("/login", new FormUrlEncodedContent(form));
    }

    private static string HiddenValue(string html, string name)
    {
        var match = Regex.Match(html, $"name=\"{name}\"\\s+value=\"([^\"]*)\"|value=\"([^\"]*)\"\\s+name=\"{name}\"");
        Assert.True(match.Success, $"no hidden field '{name}' in the sign-in page");
        return WebUtility.HtmlDecode(match.Groups[1].Success ? match.Groups[1].Value : match.Groups[2].Value);
    }

    private static HttpClient NoRedirects(ServiceFactory factory)
    {
        var client = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = null;
        return client;
    }
}
