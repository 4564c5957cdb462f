using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BackpropService.Api.Tests.Infrastructure;
using BackpropService.Api.Tests.Predict;
using BackpropService.Contracts;

namespace BackpropService.Api.Tests.Access;

/// <summary>
/// Model aliases: a caller that pins <c>name@alias</c> or <c>name@version</c> is not moved by a new version of the name,
/// and is moved by the very next request after an admin moves the alias.
/// </summary>
public sealed class AliasTests
{
    private static readonly float[][] Input = [[0.5f, -0.5f]];

    private static async Task<string> TrainAsync(HttpClient client, string name, ulong seed)
    {
        var job = await client.SubmitJobAsync(PredictClient.XorJob(name, seed));
        var done = await client.WaitForJobAsync(job.Id, j => j.Status is JobStatus.Succeeded or JobStatus.Failed, TimeSpan.FromMinutes(1));
        Assert.True(done.Status == JobStatus.Succeeded, $"job {job.Id}: {done.Status} {done.Error}");
        return done.ModelId!;
    }

    internal static async Task<ModelAlias> SetAliasAsync(HttpClient client, string name, string alias, int version)
    {
        var response = await client.PutAsJsonAsync($"/api/models/{name}/aliases/{alias}", new SetAliasRequest(version), ApiClient.Json);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"PUT alias: {(int)response.StatusCode} {body}");
        return JsonSerializer.Deserialize<ModelAlias>(body, ApiClient.Json)!;
    }

    private static async Task<string> PredictedModelAsync(HttpClient client, string model) =>
        (await client.PredictJsonAsync("/predict", new PredictRequest(model, Input))).ModelId;

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status, string field)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = JsonDocument.Parse(body).RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var messages), $"'{field}' is not named in {body}");
        return messages[0];
    }

    [Fact]
    public async Task An_alias_keeps_its_version_while_new_versions_are_trained_and_moving_it_moves_the_next_request()
    {
        using var database = new TempDatabase();
        await using var factory = database.CreateFactory();
        var client = factory.CreateClient();

        string v1 = await TrainAsync(client, "pinned", seed: 1);
        var set = await SetAliasAsync(client, "pinned", "prod", 1);
        Assert.Equal(("pinned", "prod", 1, v1), (set.Name, set.Alias, set.Version, set.ModelId));
        var admin = Assert.Single(await client.GetAsync<List<ApiKeyInfo>>("/api/keys"));
        Assert.Equal(admin.Id, set.UpdatedBy?.Id);
        Assert.Equal(v1, await PredictedModelAsync(client, "pinned@prod"));

        // A colleague trains a new version with the same name: the bare name moves on, the alias and the version stay.
        string v2 = await TrainAsync(client, "pinned", seed: 2);
        Assert.Equal(v1, await PredictedModelAsync(client, "pinned@prod"));
        Assert.Equal(v2, await PredictedModelAsync(client, "pinned"));
        Assert.Equal(v1, await PredictedModelAsync(client, "pinned@1"));
        Assert.Equal(v2, await PredictedModelAsync(client, "pinned@2"));
        Assert.Equal(v1, (await client.PredictBinaryAsync("/predict", PredictClient.BinaryBody("pinned@prod", Input))).ModelId);
        Assert.Equal(v1, (await client.PredictBinaryAsync("/api/models/pinned@prod/predict", PredictClient.BinaryBody(null, Input))).ModelId);
        Assert.Equal(v1, (await client.PredictJsonAsync("/api/models/pinned@prod/predict", new PredictRequest(null, Input))).ModelId);
        Assert.Equal(1, (await client.GetAsync<ModelInfo>("/api/models/pinned@prod")).Version);
        Assert.Equal(v2, (await client.GetAsync<ModelInfo>("/api/models/pinned@2")).Id);

        // Callers keep asking for pinned@prod all along, so version 1 is cached under that name and re-requested throughout.
        using var stop = new CancellationTokenSource();
        var hammer = Task.Run(async () =>
        {
            using var other = factory.CreateClient();
            while (!stop.IsCancellationRequested)
                await PredictedModelAsync(other, "pinned@prod");
        });
        try
        {
            foreach (var (version, id) in new[] { (2, v2), (1, v1), (2, v2) })
            {
                Assert.Equal(id, (await SetAliasAsync(client, "pinned", "prod", version)).ModelId);
                // The first request after the answer already gets the version the alias points to now, by JSON and binary.
                Assert.Equal(id, await PredictedModelAsync(client, "pinned@prod"));
                Assert.Equal(id, (await client.PredictBinaryAsync("/predict", PredictClient.BinaryBody("pinned@prod", Input))).ModelId);
            }
        }
        finally
        {
            stop.Cancel();
            await hammer;
        }

        var aliases = await client.GetAsync<List<ModelAlias>>("/api/models/pinned/aliases");
        var prod = Assert.Single(aliases);
        Assert.Equal(("prod", 2, v2), (prod.Alias, prod.Version, prod.ModelId));

        // The version an alias points to cannot be deleted from under its callers.
        var refused = await client.DeleteAsync($"/api/models/{v2}");
        Assert.Contains("'prod'", (await ProblemAsync(refused, HttpStatusCode.Conflict, "id")).GetString());
        Assert.Equal(v2, await PredictedModelAsync(client, "pinned@prod"));

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("/api/models/pinned/aliases/prod")).StatusCode);
        var gone = await client.PostAsJsonAsync("/predict", new PredictRequest("pinned@prod", Input), ApiClient.Json);
        Assert.Contains("no aliases", (await ProblemAsync(gone, HttpStatusCode.NotFound, "model")).GetString());
        await ProblemAsync(await client.DeleteAsync("/api/models/pinned/aliases/prod"), HttpStatusCode.NotFound, "alias");
        Assert.Empty(await client.GetAsync<List<ModelAlias>>("/api/models/pinned/aliases"));
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/models/{v2}")).StatusCode);
        Assert.Equal(v1, await PredictedModelAsync(client, "pinned"));
    }

    public sealed record BadCase(string Method, string Url, object? Body, HttpStatusCode Status, string Field, string Says);

    private static readonly Dictionary<string, BadCase> BadCases = new()
    {
        ["a number as alias"] = new("PUT", "/api/models/net/aliases/3", new SetAliasRequest(1), HttpStatusCode.BadRequest, "alias", "starts with a letter"),
        ["an alias starting with a dash"] = new("PUT", "/api/models/net/aliases/-x", new SetAliasRequest(1), HttpStatusCode.BadRequest, "alias", "starts with a letter"),
        ["an alias with a space"] = new("PUT", "/api/models/net/aliases/a%20b", new SetAliasRequest(1), HttpStatusCode.BadRequest, "alias", "'a b'"),
        ["an alias of 65 characters"] = new("PUT", $"/api/models/net/aliases/a{new string('b', 64)}", new SetAliasRequest(1), HttpStatusCode.BadRequest, "alias", "63"),
        ["no version"] = new("PUT", "/api/models/net/aliases/prod", new { }, HttpStatusCode.BadRequest, "version", "Required"),
        ["version 0"] = new("PUT", "/api/models/net/aliases/prod", new SetAliasRequest(0), HttpStatusCode.BadRequest, "version", "Required"),
        ["an unknown model"] = new("PUT", "/api/models/nope/aliases/prod", new SetAliasRequest(1), HttpStatusCode.NotFound, "name", "'nope'"),
        ["an unknown version"] = new("PUT", "/api/models/net/aliases/prod", new SetAliasRequest(9), HttpStatusCode.NotFound, "version", "versions are 1, 2"),
        ["aliases of an unknown model"] = new("GET", "/api/models/nope/aliases", null, HttpStatusCode.NotFound, "name", "'nope'"),
        ["deleting an unknown alias"] = new("DELETE", "/api/models/net/aliases/canary", null, HttpStatusCode.NotFound, "alias", "staging (version 1)"),
        ["deleting an alias of an unknown model"] = new("DELETE", "/api/models/nope/aliases/prod", null, HttpStatusCode.NotFound, "name", "'nope'"),
        ["predict with an unknown alias"] = new("POST", "/predict", new PredictRequest("net@canary", Input), HttpStatusCode.NotFound, "model", "its aliases are staging (version 1)"),
        ["predict with an unknown version"] = new("POST", "/predict", new PredictRequest("net@9", Input), HttpStatusCode.NotFound, "model", "no version 9; its versions are 1, 2"),
        ["predict with an alias of an unknown model"] = new("POST", "/predict", new PredictRequest("nope@prod", Input), HttpStatusCode.NotFound, "model", "'nope@prod'"),
        ["predict in the route with an unknown alias"] = new("POST", "/api/models/net@canary/predict", new PredictRequest(null, Input), HttpStatusCode.NotFound, "id", "its aliases are staging"),
        ["get with an unknown alias"] = new("GET", "/api/models/net@canary", null, HttpStatusCode.NotFound, "id", "its aliases are staging"),
    };

    public static TheoryData<string> BadCaseNames() => new(BadCases.Keys);

    [Theory]
    [MemberData(nameof(BadCaseNames))]
    public async Task A_bad_alias_request_gets_a_problem_naming_the_field_and_what_exists(string name)
    {
        var @case = BadCases[name];
        using var database = new TempDatabase();
        await using var factory = database.CreateFactory();
        var client = factory.CreateClient();
        await client.ImportAsync(PredictClient.XorModel(seed: 1), "net");
        await client.ImportAsync(PredictClient.XorModel(seed: 2), "net");
        await SetAliasAsync(client, "net", "staging", 1);

        using var request = new HttpRequestMessage(new HttpMethod(@case.Method), @case.Url)
        {
            Content = @case.Body is null ? null : JsonContent.Create(@case.Body, @case.Body.GetType(), options: ApiClient.Json),
        };
        var message = await ProblemAsync(await client.SendAsync(request), @case.Status, @case.Field);
        Assert.Contains(@case.Says, message.GetString());

        var staging = Assert.Single(await client.GetAsync<List<ModelAlias>>("/api/models/net/aliases"));
        Assert.Equal(("staging", 1), (staging.Alias, staging.Version));
    }

    [Fact]
    public async Task A_new_model_name_may_not_hold_an_at_sign_so_it_can_never_shadow_a_pinned_version()
    {
        using var database = new TempDatabase();
        await using var factory = database.CreateFactory();
        var client = factory.CreateClient();
        await client.ImportAsync(PredictClient.XorModel(seed: 1), "team");

        using var file = new ByteArrayContent(PredictClient.XorModel(seed: 2));
        file.Headers.ContentType = new("application/octet-stream");
        var import = await client.PostAsync("/api/models?name=team%401", file);
        Assert.Contains("'@'", (await ProblemAsync(import, HttpStatusCode.BadRequest, "name")).GetString());
        var submit = await client.PostAsJsonAsync("/api/jobs", PredictClient.XorJob("team@1", seed: 3), ApiClient.Json);
        Assert.Contains("'@'", (await ProblemAsync(submit, HttpStatusCode.BadRequest, "name")).GetString());
    }

    [Fact]
    public async Task Only_an_admin_key_sets_or_deletes_an_alias_and_any_predict_key_reads_them()
    {
        using var database = new TempDatabase();
        await using var factory = database.CreateFactory();
        var admin = factory.CreateClient();
        var model = await admin.ImportAsync(PredictClient.XorModel(), "net");
        var set = await SetAliasAsync(admin, "net", "prod", 1);
        var trainKey = await admin.PostAsync<CreatedApiKey>("/api/keys", new CreateApiKeyRequest("colleague", [ApiKeyScope.Train]));
        var predictKey = await admin.PostAsync<CreatedApiKey>("/api/keys", new CreateApiKeyRequest("orders-service", [ApiKeyScope.Predict]));

        foreach (var key in new[] { trainKey.Key, predictKey.Key })
        {
            using var client = factory.CreateClientWithKey(key);
            var put = await client.PutAsJsonAsync("/api/models/net/aliases/prod", new SetAliasRequest(1), ApiClient.Json);
            Assert.Contains("admin", (await ProblemAsync(put, HttpStatusCode.Forbidden, "scope")).GetString());
            await ProblemAsync(await client.DeleteAsync("/api/models/net/aliases/prod"), HttpStatusCode.Forbidden, "scope");

            var aliases = await client.GetAsync<List<ModelAlias>>("/api/models/net/aliases");
            Assert.Equal(model.Id, Assert.Single(aliases).ModelId);
            Assert.Equal(model.Id, await PredictedModelAsync(client, "net@prod"));
        }

        using var anonymous = factory.CreateClientWithKey(null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/models/net/aliases")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await anonymous.PutAsJsonAsync("/api/models/net/aliases/prod", new SetAliasRequest(1), ApiClient.Json)).StatusCode);
        Assert.Equal(set, Assert.Single(await admin.GetAsync<List<ModelAlias>>("/api/models/net/aliases")));
    }
}
