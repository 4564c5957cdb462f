using BackpropService.Api.Tests.Infrastructure;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using BackpropService.Api.Access;
using BackpropService.Contracts;
using BackpropService.Tests.Shared;
using BackpropService.Web.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace BackpropService.Api.Tests.Access;

/// <summary>
/// Every endpoint × every kind of caller → the status DESIGN.md's access-control section promises:
/// 401 without a usable key, 403 without the scope (or, for a train key, on what another key created),
/// and otherwise the endpoint's own answer. A new endpoint without a row here fails
/// <see cref="Every_endpoint_has_a_row_in_the_matrix"/>.
/// </summary>
public sealed class AccessMatrixTests
{
    /// <summary>What an endpoint needs: nothing, or a key granting a scope.</summary>
    public enum Need { Anonymous, AnyKey, Predict, Train, Metrics, Admin }

    /// <summary>One endpoint: its method ("*" for any) and route pattern, what it needs, and how to build a request to it.</summary>
    private sealed record Row(string Method, string Pattern, Need Need, bool Owned, Func<Resources, Task<HttpRequestMessage>> Request);

    /// <summary>Things the requests point at, created once (shared) or per request (for deletes and cancels).</summary>
    private sealed class Resources(AccessWorld world, DatasetInfo dataset, Job job, ModelInfo model, byte[] modelFile)
    {
        public AccessWorld World => world;
        public DatasetInfo Dataset => dataset;
        public Job Job => job;
        public ModelInfo Model => model;
        public byte[] ModelFile => modelFile;

        private HttpClient Owner => field ??= world.ClientFor(CallerKind.TrainOwner);

        public async Task<DatasetInfo> FreshDatasetAsync() => await Owner.UploadCsvAsync(Csv, "fresh.csv");

        public async Task<Job> FreshJobAsync() => await Owner.SubmitJobAsync(XorJob(epochs: 2000));

        public async Task<string> FreshModelIdAsync()
        {
            using var content = new ByteArrayContent(modelFile);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            var response = await world.Admin.PostAsync("/api/models?name=fresh", content);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            return (await response.Content.ReadFromJsonAsync<ModelInfo>(ApiClient.Json))!.Id;
        }

        /// <summary>A new alias of the shared model, set by the admin.</summary>
        public async Task<string> FreshAliasAsync()
        {
            string alias = "a" + Guid.NewGuid().ToString("N")[..8];
            var response = await world.Admin.PutAsJsonAsync($"/api/models/{model.Name}/aliases/{alias}", new SetAliasRequest(model.Version), ApiClient.Json);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            return alias;
        }

        /// <summary>A sweep of one long job, created by the owner (for cancels).</summary>
        public async Task<string> FreshSweepIdAsync() => (await Owner.PostAsync<Sweep>("/api/sweeps", OneJobSweep(epochs: 2000))).Id;

        /// <summary>One sweep for the reads, created once.</summary>
        public async Task<string> SharedSweepIdAsync() => _sharedSweepId ??= await FreshSweepIdAsync();

        private string? _sharedSweepId;

        public async Task<string> FreshKeyIdAsync() => (await world.CreateKeyAsync("fresh", ApiKeyScope.Predict)).Id;
    }

    private const string Csv = "x,y,label\n0,0,a\n0,1,b\n1,0,b\n1,1,a\n";

    private static SubmitJobRequest XorJob(int epochs) => XorJobs.Request("access-xor", epochs);

    private static SubmitSweepRequest OneJobSweep(int epochs) => new()
    {
        Name = "access-sweep",
        Base = XorJob(epochs),
        Grid = new Dictionary<string, IReadOnlyList<System.Text.Json.JsonElement>?> { ["seed"] = [System.Text.Json.JsonSerializer.SerializeToElement(1)] },
    };

    private static HttpRequestMessage Get(string url) => new(HttpMethod.Get, url);

    private static HttpRequestMessage Delete(string url) => new(HttpMethod.Delete, url);

    private static HttpRequestMessage Post(string url, object? body) =>
        new(HttpMethod.Post, url) { Content = body is null ? null : JsonContent.Create(body, options: ApiClient.Json) };

    private static readonly Row[] Rows =
    [
        new("*", "/health/live", Need.Anonymous, false, _ => Task.FromResult(Get("/health/live"))),
        new("*", "/health/ready", Need.Anonymous, false, _ => Task.FromResult(Get("/health/ready"))),

        new("GET", "/api/datasets/", Need.Train, false, _ => Task.FromResult(Get("/api/datasets"))),
        new("GET", "/api/datasets/{id}", Need.Train, false, r => Task.FromResult(Get($"/api/datasets/{r.Dataset.Id}"))),
        new("GET", "/api/datasets/{id}/preview", Need.Train, false, r => Task.FromResult(Get($"/api/datasets/{r.Dataset.Id}/preview"))),
        new("POST", "/api/datasets/", Need.Train, false, _ =>
        {
            var form = new MultipartFormDataContent { { new StringContent(Csv), "file", "upload.csv" } };
            return Task.FromResult(new HttpRequestMessage(HttpMethod.Post, "/api/datasets") { Content = form });
        }),
        new("DELETE", "/api/datasets/{id}", Need.Train, true, async r => Delete($"/api/datasets/{(await r.FreshDatasetAsync()).Id}")),

        new("POST", "/api/jobs/", Need.Train, false, _ => Task.FromResult(Post("/api/jobs", XorJob(epochs: 2)))),
        new("GET", "/api/jobs/", Need.Train, false, _ => Task.FromResult(Get("/api/jobs"))),
        new("GET", "/api/jobs/{id}", Need.Train, false, r => Task.FromResult(Get($"/api/jobs/{r.Job.Id}"))),
        new("GET", "/api/jobs/{id}/metrics", Need.Train, false, r => Task.FromResult(Get($"/api/jobs/{r.Job.Id}/metrics"))),
        new("GET", "/api/jobs/{id}/decision-boundary", Need.Train, false, r => Task.FromResult(Get($"/api/jobs/{r.Job.Id}/decision-boundary"))),
        new("POST", "/api/jobs/{id}/cancel", Need.Train, true, async r => Post($"/api/jobs/{(await r.FreshJobAsync()).Id}/cancel", null)),
        new("DELETE", "/api/jobs/{id}", Need.Train, true, async r => Delete($"/api/jobs/{(await r.FreshJobAsync()).Id}")),

        new("POST", "/api/sweeps/", Need.Train, false, _ => Task.FromResult(Post("/api/sweeps", OneJobSweep(epochs: 2)))),
        new("GET", "/api/sweeps/", Need.Train, false, _ => Task.FromResult(Get("/api/sweeps"))),
        new("GET", "/api/sweeps/{id}", Need.Train, false, async r => Get($"/api/sweeps/{await r.SharedSweepIdAsync()}")),
        new("POST", "/api/sweeps/{id}/cancel", Need.Train, true, async r => Post($"/api/sweeps/{await r.FreshSweepIdAsync()}/cancel", null)),

        new("GET", "/api/models/", Need.Predict, false, _ => Task.FromResult(Get("/api/models"))),
        new("GET", "/api/models/{id}", Need.Predict, false, r => Task.FromResult(Get($"/api/models/{r.Model.Id}"))),
        new("POST", "/api/models/{id}/predict", Need.Predict, false, r =>
            Task.FromResult(Post($"/api/models/{r.Model.Id}/predict", new PredictRequest(null, [[0f, 1f]])))),
        new("POST", "/api/models/{id}/evaluate", Need.Train, false, r =>
            Task.FromResult(Post($"/api/models/{r.Model.Id}/evaluate", new EvaluateRequest("xor")))),
        new("GET", "/api/models/{id}/download", Need.Train, false, r => Task.FromResult(Get($"/api/models/{r.Model.Id}/download"))),
        new("GET", "/api/models/{id}/download", Need.Train, false, r => Task.FromResult(Get($"/api/models/{r.Model.Id}/download?format=onnx"))),
        new("POST", "/api/models/", Need.Admin, false, r =>
        {
            var content = new ByteArrayContent(r.ModelFile);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            return Task.FromResult(new HttpRequestMessage(HttpMethod.Post, "/api/models?name=imported") { Content = content });
        }),
        new("DELETE", "/api/models/{id}", Need.Admin, false, async r => Delete($"/api/models/{await r.FreshModelIdAsync()}")),

        new("GET", "/api/limits", Need.AnyKey, false, _ => Task.FromResult(Get("/api/limits"))),
        new("*", "/metrics", Need.Metrics, false, _ => Task.FromResult(Get("/metrics"))),
        new("GET", "/api/models/{name}/aliases/", Need.Predict, false, r => Task.FromResult(Get($"/api/models/{r.Model.Name}/aliases"))),
        new("PUT", "/api/models/{name}/aliases/{alias}", Need.Admin, false, r =>
            Task.FromResult(new HttpRequestMessage(HttpMethod.Put, $"/api/models/{r.Model.Name}/aliases/prod")
            {
                Content = JsonContent.Create(new SetAliasRequest(r.Model.Version), options: ApiClient.Json),
            })),
        new("DELETE", "/api/models/{name}/aliases/{alias}", Need.Admin, false, async r =>
            Delete($"/api/models/{r.Model.Name}/aliases/{await r.FreshAliasAsync()}")),
        new("POST", "/predict", Need.Predict, false, r => Task.FromResult(Post("/predict", new PredictRequest(r.Model.Id, [[0f, 1f]])))),
        new("POST", "/api/explain", Need.Train, false, _ => Task.FromResult(Post("/api/explain", new ExplainRequest(
            [new ExplainLayer([[0.15, 0.20], [0.25, 0.30]], [0.35, 0.35], Activation.Sigmoid)], [0.05, 0.10], [0.01, 0.99], Cost.Quadratic, 0.5)))),
        new("GET", "/api/models/{id}/explain-request", Need.Train, false, r => Task.FromResult(Get($"/api/models/{r.Model.Id}/explain-request"))),

        new("POST", "/api/keys/", Need.Admin, false, _ => Task.FromResult(Post("/api/keys", new CreateApiKeyRequest("made-in-matrix", [ApiKeyScope.Predict])))),
        new("GET", "/api/keys/", Need.Admin, false, _ => Task.FromResult(Get("/api/keys"))),
        new("DELETE", "/api/keys/{id}", Need.Admin, false, async r => Delete($"/api/keys/{await r.FreshKeyIdAsync()}")),

        new("*", "/hubs/training/negotiate", Need.Train, false, _ => Task.FromResult(Post("/hubs/training/negotiate?negotiateVersion=1", null))),
        new("*", "/hubs/training", Need.Train, false, _ => Task.FromResult(Get("/hubs/training?id=unknown"))),

    ];

    [Fact]
    public async Task Every_endpoint_answers_each_kind_of_caller_as_the_design_says()
    {
        await using var world = await AccessWorld.CreateAsync();
        var resources = await CreateResourcesAsync(world);
        var mismatches = new List<string>();

        foreach (var row in Rows)
            foreach (var caller in Enum.GetValues<CallerKind>())
            {
                using var client = world.ClientFor(caller);
                using var request = await row.Request(resources);
                using var response = await client.SendAsync(request);
                var expected = Expected(row, caller);
                int status = (int)response.StatusCode;
                string body = await response.Content.ReadAsStringAsync();
                bool ok = expected switch
                {
                    HttpStatusCode.Unauthorized => status == 401
                        && response.Headers.WwwAuthenticate.Any(h => h.Scheme == "Bearer")
                        && response.Content.Headers.ContentType?.MediaType == "application/problem+json",
                    HttpStatusCode.Forbidden => status == 403
                        && response.Content.Headers.ContentType?.MediaType == "application/problem+json",
                    _ => status is not (401 or 403) && status < 500,
                };
                if (!ok)
                    mismatches.Add($"{row.Method} {row.Pattern} as {caller}: expected {(expected == HttpStatusCode.OK ? "allowed" : ((int)expected).ToString())}, got {status} {Truncate(body)}");
            }

        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
    }

    [Fact]
    public async Task Every_endpoint_has_a_row_in_the_matrix()
    {
        await using var world = await AccessWorld.CreateAsync();
        var endpoints = world.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => !IsDashboard(e))
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"]).Select(m => $"{m} {Normalize(e.RoutePattern.RawText)}"))
            .ToHashSet();
        var rows = Rows.Select(r => $"{r.Method} {Normalize(r.Pattern)}").ToHashSet();

        var missing = endpoints.Except(rows).Order().ToList();
        Assert.True(missing.Count == 0, "Endpoints without a row in the access matrix:\n" + string.Join("\n", missing));
        var stale = rows.Except(endpoints).Order().ToList();
        Assert.True(stale.Count == 0, "Rows for endpoints that do not exist:\n" + string.Join("\n", stale));
    }

    [Fact]
    public async Task A_key_without_the_scope_gets_403_naming_the_scope()
    {
        await using var world = await AccessWorld.CreateAsync();
        using var client = world.ClientFor(CallerKind.Predict);
        var response = await client.PostAsJsonAsync("/api/jobs", XorJob(epochs: 1), ApiClient.Json);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var problem = await response.Content.ReadAsStringAsync();
        Assert.Contains("'train' scope", problem);
        Assert.Contains("\"scope\":\"train\"", problem);
    }

    [Theory]
    [InlineData(CallerKind.NoKey, "needs an API key")]
    [InlineData(CallerKind.UnknownKey, "not known")]
    [InlineData(CallerKind.ExpiredKey, "expired")]
    [InlineData(CallerKind.RevokedKey, "revoked")]
    public async Task A_request_without_a_usable_key_gets_401_saying_why(CallerKind caller, string reason)
    {
        await using var world = await AccessWorld.CreateAsync();
        using var client = world.ClientFor(caller);
        var response = await client.GetAsync("/api/models");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
        Assert.Contains(reason, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_key_is_also_accepted_in_the_X_Api_Key_header_but_never_as_a_query_parameter_outside_the_hub()
    {
        await using var world = await AccessWorld.CreateAsync();
        using var client = world.ClientFor(CallerKind.NoKey);
        using var header = new HttpRequestMessage(HttpMethod.Get, "/api/models");
        header.Headers.Add("X-Api-Key", world.Keys[CallerKind.Predict]);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(header)).StatusCode);
        var query = await client.GetAsync($"/api/models?access_token={world.Keys[CallerKind.Predict]}");
        Assert.Equal(HttpStatusCode.Unauthorized, query.StatusCode);
    }

    private static HttpStatusCode Expected(Row row, CallerKind caller)
    {
        if (row.Need == Need.Anonymous) return HttpStatusCode.OK;
        if (caller is CallerKind.NoKey or CallerKind.UnknownKey or CallerKind.ExpiredKey or CallerKind.RevokedKey)
            return HttpStatusCode.Unauthorized;
        if (row.Need == Need.AnyKey) return HttpStatusCode.OK;
        ApiKeyScope[] held = caller switch
        {
            CallerKind.Predict => [ApiKeyScope.Predict],
            CallerKind.Metrics => [ApiKeyScope.Metrics],
            CallerKind.TrainOwner or CallerKind.TrainOther => [ApiKeyScope.Train],
            _ => [ApiKeyScope.Admin],
        };
        var needed = Enum.Parse<ApiKeyScope>(row.Need.ToString());
        if (!AccessRules.Grants(held, needed)) return HttpStatusCode.Forbidden;
        if (row.Owned && caller == CallerKind.TrainOther) return HttpStatusCode.Forbidden;
        return HttpStatusCode.OK;
    }

    private static async Task<Resources> CreateResourcesAsync(AccessWorld world)
    {
        using var owner = world.ClientFor(CallerKind.TrainOwner);
        var dataset = await owner.UploadCsvAsync(Csv, "owned.csv");
        var job = await owner.SubmitJobAsync(XorJob(epochs: 5));
        var finished = await owner.WaitUntilFinishedAsync(job.Id, TimeSpan.FromMinutes(2));
        Assert.Equal(JobStatus.Succeeded, finished.Status);
        var model = await world.Admin.GetAsync<ModelInfo>($"/api/models/{finished.ModelId}");
        var file = await world.Admin.GetByteArrayAsync($"/api/models/{model.Id}/download");
        return new Resources(world, dataset, finished, model, file);
    }

    /// <summary>
    /// The dashboard's pages, its circuit, static files and its own endpoints (sign-out, downloads: authorized by the
    /// dashboard's cookie, never by a key): covered by DashboardAccessTests and the browser tests.
    /// </summary>
    private static bool IsDashboard(RouteEndpoint endpoint) =>
        endpoint.Metadata.GetMetadata<ComponentTypeMetadata>() is not null
        || endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(a => a.Policy is DashboardPolicies.SignedIn or DashboardPolicies.Predict or DashboardPolicies.Train)
        || endpoint.RoutePattern.RawText?.StartsWith("/_blazor", StringComparison.Ordinal) == true
        || endpoint.RoutePattern.RawText?.StartsWith("_blazor", StringComparison.Ordinal) == true
        || endpoint.RoutePattern.RawText?.StartsWith("/_framework", StringComparison.Ordinal) == true
        || endpoint.RoutePattern.RawText?.StartsWith("_framework", StringComparison.Ordinal) == true
        || endpoint.DisplayName?.Contains("static asset", StringComparison.OrdinalIgnoreCase) == true
        || Normalize(endpoint.RoutePattern.RawText) == "/{**path:file}"
        || endpoint.Metadata.Any(m => m.GetType().Name.Contains("StaticAsset", StringComparison.Ordinal));

    private static string Normalize(string? pattern) => "/" + (pattern ?? "").Trim('/');

    private static string Truncate(string body) => body.Length <= 300 ? body : body[..300] + "…";
}
