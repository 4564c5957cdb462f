using System.Net.Http.Json;
using System.Text.RegularExpressions;
using BackpropService.Contracts;
using BackpropService.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BackpropService.Web.Tests;

/// <summary>The dashboard's sign-in in a real browser: sessions, scopes, the cookie, and what a foreign page cannot do.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SignInTests(BrowserFixture browser)
{
    private const string SessionCookie = BackpropService.Web.Access.DashboardAuthentication.CookieName;
    private const string LossPoints = "() => document.getElementById('loss-chart')?.data?.[0]?.x?.length ?? 0";

    [Fact]
    public async Task A_visitor_without_a_session_is_sent_to_the_sign_in_page_and_back_to_the_page_asked_for()
    {
        await using var host = new DashboardHost();
        var page = await browser.NewSignedOutPageAsync(host);

        await page.GotoAsync("/datasets");

        await Expect(page).ToHaveURLAsync(new Regex(@"/login\?returnUrl=%2Fdatasets$"));
        var field = page.GetByLabel("API key");
        await Expect(field).ToHaveAttributeAsync("type", "password");
        await field.FillAsync(DashboardHost.AdminKey);
        await page.ClickAsync("#sign-in");
        await Expect(page).ToHaveURLAsync(new Regex("/datasets$"));
        await Expect(page.Locator("#datasets-table tr[data-dataset-id='xor']")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_wrong_key_gets_a_message_and_stays_on_the_sign_in_page_without_a_session()
    {
        await using var host = new DashboardHost();
        var page = await browser.NewSignedOutPageAsync(host);

        await page.GotoAsync("/login");
        await page.FillAsync("#api-key", "bp_this-key-was-never-created-000000000");
        await page.ClickAsync("#sign-in");

        await Expect(page.Locator("#login-error")).ToContainTextAsync("not known");
        await Expect(page).ToHaveURLAsync(new Regex("/login"));
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == SessionCookie);
        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(new Regex(@"/login\?returnUrl=%2F$"));
    }

    [Fact]
    public async Task A_revoked_key_cannot_sign_in_and_its_open_session_ends()
    {
        await using var host = new DashboardHost();
        var key = await CreateKeyAsync(host, "soon revoked", ApiKeyScope.Train);
        var page = await browser.NewSignedOutPageAsync(host);
        await BrowserFixture.SignInAsync(page, key.Key);
        await Expect(page.Locator("#signed-in-key")).ToHaveTextAsync("soon revoked");

        (await host.Http.DeleteAsync($"api/keys/{key.Id}")).EnsureSuccessStatusCode();

        await page.GotoAsync("/datasets");
        await Expect(page).ToHaveURLAsync(new Regex(@"/login\?returnUrl=%2Fdatasets$"));
        await page.FillAsync("#api-key", key.Key);
        await page.ClickAsync("#sign-in");
        await Expect(page.Locator("#login-error")).ToContainTextAsync("revoked");
    }

    [Fact]
    public async Task With_the_right_key_the_dashboard_shows_its_name_and_a_jobs_live_chart_climbs()
    {
        await using var host = new DashboardHost();
        var job = await host.Http.SubmitJobAsync(TestJobs.Slow("watched-after-sign-in"));
        var page = await browser.NewSignedOutPageAsync(host);

        await page.GotoAsync($"/jobs/{job.Id}");
        await Expect(page).ToHaveURLAsync(new Regex("/login\\?returnUrl="));
        await page.FillAsync("#api-key", DashboardHost.AdminKey);
        await page.ClickAsync("#sign-in");

        await Expect(page).ToHaveURLAsync(new Regex($"/jobs/{job.Id}$"));
        await Expect(page.Locator("#signed-in-key")).ToHaveTextAsync("admin (Auth:AdminKey)");
        await Expect(page.Locator("#epoch-text")).ToContainTextAsync("/ 5000");
        // Live epochs arrive over the hub, which the dashboard's server joined with the signed-in key.
        await page.WaitForFunctionAsync($"() => ({LossPoints})() > 0");
        int firstPoints = await page.EvaluateAsync<int>(LossPoints);
        await page.WaitForFunctionAsync($"n => ({LossPoints})() > n", firstPoints + 2);
        await Expect(page.Locator("#cancel-job")).ToBeVisibleAsync();

        await host.Http.CancelJobAsync(job.Id);
    }

    [Fact]
    public async Task A_predict_only_key_sees_the_models_and_the_predict_playground_but_no_jobs_form_or_datasets()
    {
        await using var host = new DashboardHost();
        var model = await TrainXorModelAsync(host);
        var key = await CreateKeyAsync(host, "predict-only service", ApiKeyScope.Predict);
        var page = await browser.NewSignedOutPageAsync(host);

        await BrowserFixture.SignInAsync(page, key.Key);

        // It starts at the models (the jobs page is not for it) and the navigation offers nothing else.
        await Expect(page).ToHaveURLAsync(new Regex("/models$"));
        await Expect(page.Locator($"a[href='/models/{model.Id}']")).ToBeVisibleAsync();
        await Expect(page.Locator("#nav-models")).ToBeVisibleAsync();
        await Expect(page.Locator("#nav-jobs")).ToHaveCountAsync(0);
        await Expect(page.Locator("#nav-datasets")).ToHaveCountAsync(0);

        // The predict playground answers with this key; the training-only download is not offered.
        await page.ClickAsync($"a[href='/models/{model.Id}']");
        await page.FillAsync("#predict-input", "[[0, 1]]");
        await page.ClickAsync("#predict-json");
        await Expect(page.Locator("#predicted-class")).ToHaveTextAsync(new Regex("^[01]$"));
        await Expect(page.Locator("#download-model")).ToHaveCountAsync(0);

        // The jobs page (and its form) is refused, whether opened by address or from within the app.
        await page.GotoAsync("/");
        await Expect(page.Locator("#access-denied")).ToContainTextAsync("train");
        await Expect(page.Locator("#submit-job")).ToHaveCountAsync(0);
        await page.ClickAsync("#nav-models");
        await page.EvaluateAsync("url => Blazor.navigateTo(url)", "/datasets");
        await Expect(page.Locator("#access-denied")).ToBeVisibleAsync();
        await Expect(page.Locator("#upload-button")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_train_key_is_offered_cancel_only_on_the_jobs_it_submitted()
    {
        await using var host = new DashboardHost();
        var key = await CreateKeyAsync(host, "student", ApiKeyScope.Train);
        var others = await host.Http.SubmitJobAsync(TestJobs.Slow("someone-elses"));
        using var student = new HttpClient { BaseAddress = host.BaseAddress };
        student.DefaultRequestHeaders.Authorization = new("Bearer", key.Key);
        var own = await student.SubmitJobAsync(TestJobs.Slow("own"));
        var page = await browser.NewSignedOutPageAsync(host);
        await BrowserFixture.SignInAsync(page, key.Key);

        await page.GotoAsync($"/jobs/{own.Id}");
        await Expect(page.Locator("#cancel-job")).ToBeVisibleAsync();
        await page.GotoAsync($"/jobs/{others.Id}");
        await Expect(page.Locator("h1")).ToContainTextAsync("someone-elses");
        await Expect(page.Locator("#cancel-job")).ToHaveCountAsync(0);

        await host.Http.CancelJobAsync(own.Id);
        await host.Http.CancelJobAsync(others.Id);
    }

    [Fact]
    public async Task The_session_cookie_is_HttpOnly_and_SameSite_Strict_and_the_key_is_nowhere_in_the_page()
    {
        await using var host = new DashboardHost();
        var page = await browser.NewPageAsync(host);
        await page.GotoAsync("/models");
        await Expect(page.Locator("#signed-in-key")).ToBeVisibleAsync();

        var cookie = Assert.Single(await page.Context.CookiesAsync(), c => c.Name == SessionCookie);
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        Assert.False(cookie.Secure); // plain HTTP here; under HTTPS the cookie is Secure (SameAsRequest)
        Assert.DoesNotContain(DashboardHost.AdminKey, cookie.Value);
        Assert.DoesNotContain(SessionCookie, await page.EvaluateAsync<string>("() => document.cookie"));
        Assert.DoesNotContain(DashboardHost.AdminKey, await page.ContentAsync());
    }

    [Fact]
    public async Task Signing_out_ends_the_session()
    {
        await using var host = new DashboardHost();
        var page = await browser.NewPageAsync(host);
        await page.GotoAsync("/models");

        await page.ClickAsync("#sign-out");

        await Expect(page).ToHaveURLAsync(new Regex("/login$"));
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == SessionCookie);
        await page.GotoAsync("/models");
        await Expect(page).ToHaveURLAsync(new Regex(@"/login\?returnUrl=%2Fmodels$"));
    }

    [Fact]
    public async Task A_model_file_downloads_through_the_dashboard_with_the_sessions_key()
    {
        await using var host = new DashboardHost();
        var model = await TrainXorModelAsync(host);
        byte[] expected = await host.Http.GetByteArrayAsync($"api/models/{model.Id}/download");
        var page = await browser.NewPageAsync(host);
        await page.GotoAsync($"/models/{model.Id}");

        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#download-model"));

        var saved = TestFiles.ArtifactPath($"download-{model.Id}.bin");
        await download.SaveAsAsync(saved);
        Assert.Equal(expected, await File.ReadAllBytesAsync(saved));
    }

    [Fact]
    public async Task A_page_on_another_site_cannot_import_a_model_with_a_text_plain_post_even_while_the_user_is_signed_in()
    {
        await using var host = new DashboardHost();
        var model = await TrainXorModelAsync(host);
        byte[] file = await host.Http.GetByteArrayAsync($"api/models/{model.Id}/download");
        var page = await browser.NewPageAsync(host);

        // http://localhost:port is another origin and another site than http://127.0.0.1:port, where the dashboard
        // (and its cookie) lives: any page served there stands in for a foreign one.
        var foreign = new UriBuilder(host.BaseAddress) { Host = "localhost", Path = "/health/live" }.Uri;
        await page.GotoAsync(foreign.ToString());
        var target = new Uri(host.BaseAddress, "api/models?name=planted").ToString();
        var answered = new TaskCompletionSource<IResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        var seen = new List<string>();
        page.Response += (_, r) =>
        {
            if (r.Url == target) answered.TrySetResult(r);
        };
        page.Request += (_, r) => seen.Add($"request {r.Method} {r.Url}");
        page.RequestFailed += (_, r) => seen.Add($"failed {r.Url}: {r.Failure}");
        // A "simple" request: no preflight, the browser sends it and attaches what cookies it may.
        string outcome = await page.EvaluateAsync<string>(
            """
            async ([url, base64]) => {
                const body = Uint8Array.from(atob(base64), c => c.charCodeAt(0));
                try { const r = await fetch(url, { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'Content-Type': 'text/plain' }, body }); return 'sent: ' + r.type; }
                catch (e) { return 'error: ' + e; }
            }
            """,
            new object[] { target, Convert.ToBase64String(file) });
        IResponse? response = null;
        try
        {
            response = await answered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
        }
        Assert.True(response is not null, $"the browser saw no answer; fetch: {outcome}; {string.Join("; ", seen)}");

        // No key (the REST API never reads the cookie): refused before the body is even looked at.
        Assert.Equal(401, response.Status);
        var models = await host.Http.GetAsync<List<ModelInfo>>("api/models");
        Assert.DoesNotContain(models, m => m.Name == "planted");
    }

    private static async Task<CreatedApiKey> CreateKeyAsync(DashboardHost host, string name, ApiKeyScope scope)
    {
        var response = await host.Http.PostAsJsonAsync("api/keys", new CreateApiKeyRequest(name, [scope]), ApiClient.Json);
        Assert.True(response.IsSuccessStatusCode, $"POST api/keys: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<CreatedApiKey>(ApiClient.Json))!;
    }

    private static async Task<ModelInfo> TrainXorModelAsync(DashboardHost host)
    {
        var job = await host.Http.SubmitJobAsync(new SubmitJobRequest
        {
            Name = "xor-model",
            DatasetId = "xor",
            Layers = [new LayerDefinition(4, Activation.Tanh), new LayerDefinition(2, Activation.Softmax)],
            Epochs = 3,
        });
        var trained = await host.Http.WaitUntilFinishedAsync(job.Id, TimeSpan.FromSeconds(60));
        Assert.Equal(JobStatus.Succeeded, trained.Status);
        return await host.Http.GetAsync<ModelInfo>($"api/models/{trained.ModelId}");
    }
}
