using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BackpropService.Api.Hosting;
using BackpropService.Api.Tests.Access;
using BackpropService.Api.Tests.Infrastructure;
using BackpropService.Contracts;

namespace BackpropService.Api.Tests;

/// <summary>
/// <c>GET /api/limits</c> answers the limits as configured (the values the enforcing code reads, so what it reports is
/// what a request meets), every field is described in the OpenAPI document with its unit, and <c>caller</c> counts the
/// calling key's queued jobs against its cap.
/// </summary>
public sealed class LimitsTests
{
    [Fact]
    public async Task The_limits_endpoint_reports_the_configured_request_sizes()
    {
        using var database = new TempDatabase();
        await using var factory = database.CreateFactory(new Dictionary<string, string?>
        {
            ["Limits:MaxUploadBytes"] = "123456",
            ["Limits:MaxJsonBytes"] = "65536",
            ["Limits:MaxPredictRows"] = "77",
        });
        var client = factory.CreateClient();

        var limits = await client.GetAsync<RequestLimits>("/api/limits");

        Assert.Equal((123456L, 65536L, 77), (limits.MaxUploadBytes, limits.MaxJsonBytes, limits.MaxPredictRows));
    }

    [Fact]
    public async Task Every_configurable_limit_is_reported_with_its_configured_value()
    {
        using var database = new TempDatabase();
        await using var factory = database.CreateFactory(new Dictionary<string, string?>
        {
            ["Limits:Predict:PermitsPerSecond"] = "2.5",
            ["Limits:Predict:Burst"] = "17",
            ["Limits:Predict:Concurrency"] = "3",
            ["Limits:Predict:QueueLength"] = "4",
            ["Limits:Predict:TimeoutSeconds"] = "1.5",
            ["Limits:MaxQueuedJobsPerKey"] = "7",
            ["Training:MaxRunTime"] = "01:30:00",
            ["Training:MaxAttempts"] = "5",
            ["Limits:MaxEpochs"] = "321",
            ["Limits:MaxLayers"] = "9",
            ["Limits:MaxLayerSize"] = "4321",
            ["Limits:MaxParameters"] = "98765",
            ["Limits:MaxActivationValues"] = "1234567",
            ["Limits:MaxSweepPoints"] = "13",
            ["Limits:MaxDatasetBytes"] = "7654321",
            ["Limits:MaxCsvColumns"] = "77",
            ["Limits:MaxCsvFieldLength"] = "99",
            ["Limits:MaxClasses"] = "11",
            ["Limits:MaxQueuedUploads"] = "3",
            ["Limits:DatasetReadConcurrency"] = "5",
            ["Limits:DatasetReadQueue"] = "6",
            ["LiveUpdates:MaxSubscriptionsPerConnection"] = "12",
            ["LiveUpdates:MaxQueuedEventsPerConnection"] = "345",
        });
        var client = factory.CreateClient();

        var limits = await client.GetAsync<RequestLimits>("/api/limits");

        Assert.Equal(new PredictRequestLimits(2.5, 17, 3, 4, 1.5), limits.Predict);
        var jobs = limits.Jobs;
        Assert.Equal((7, 5400.0, 5, 321), (jobs.MaxQueuedPerKey, jobs.MaxRunTimeSeconds, jobs.MaxAttempts, jobs.MaxEpochs));
        Assert.Equal((9, 4321, 98765L, 1234567L), (jobs.MaxLayers, jobs.MaxLayerSize, jobs.MaxParameters, jobs.MaxActivationValues));
        Assert.Equal(13, limits.Sweeps.MaxPoints);
        Assert.Equal(new DatasetLimits(7654321, 77, 99, 11, 3, 5, 6), limits.Datasets);
        Assert.Equal(new LiveUpdateLimits(12, 345), limits.LiveUpdates);
    }

    [Fact]
    public async Task The_reported_job_and_paging_limits_are_the_ones_a_request_meets_even_where_the_engine_is_tighter()
    {
        using var database = new TempDatabase();
        // The engine takes at most 64 layers; a service configured for more still refuses the 65th.
        await using var factory = database.CreateFactory(new Dictionary<string, string?>
        {
            [ServiceRoleExtensions.Key] = "api", // nothing trains: the accepted jobs only queue
            ["Limits:MaxLayers"] = "1000",
            ["Limits:MaxEpochs"] = "40",
        });
        var client = factory.CreateClient();
        var limits = await client.GetAsync<RequestLimits>("/api/limits");
        Assert.Equal(64, limits.Jobs.MaxLayers);
        Assert.Equal(40, limits.Jobs.MaxEpochs);

        SubmitJobRequest WithLayers(int layers, int epochs) => new()
        {
            DatasetId = "xor",
            Layers = [.. Enumerable.Repeat(new LayerDefinition(2, Activation.Tanh), layers - 1), new LayerDefinition(2, Activation.Softmax)],
            Cost = Cost.CrossEntropy,
            Epochs = epochs,
        };
        await client.SubmitJobAsync(WithLayers(limits.Jobs.MaxLayers, limits.Jobs.MaxEpochs));
        await AssertRefusedAsync(client, WithLayers(limits.Jobs.MaxLayers + 1, 1), "layers");
        await AssertRefusedAsync(client, WithLayers(2, limits.Jobs.MaxEpochs + 1), "epochs");

        var paging = limits.Paging;
        using (var largest = await client.GetAsync($"/api/jobs?limit={paging.MaxLimit}")) Assert.Equal(HttpStatusCode.OK, largest.StatusCode);
        using (var tooLarge = await client.GetAsync($"/api/jobs?limit={paging.MaxLimit + 1}")) Assert.Equal(HttpStatusCode.BadRequest, tooLarge.StatusCode);
        Assert.InRange(paging.DefaultLimit, 1, paging.MaxLimit);
    }

    [Fact]
    public async Task The_caller_sees_its_own_queued_jobs_against_its_cap_and_a_key_that_cannot_submit_sees_none()
    {
        using var database = new TempDatabase();
        await using var factory = database.CreateFactory(new Dictionary<string, string?>
        {
            [ServiceRoleExtensions.Key] = "api", // nothing trains: submitted jobs stay queued
            ["Limits:MaxQueuedJobsPerKey"] = "3",
        });
        var admin = factory.CreateClient();
        var keys = new KeyClient(admin);
        using var alice = factory.CreateClientWithKey((await keys.CreateAsync("alice", ApiKeyScope.Train)).Key);
        using var predictor = factory.CreateClientWithKey((await keys.CreateAsync("predictor", ApiKeyScope.Predict)).Key);

        Assert.Equal(new CallerQuota(0, 3), (await alice.GetAsync<RequestLimits>("/api/limits")).Caller);
        var first = await alice.SubmitJobAsync(XorJobs.Request("first", epochs: 5));
        await alice.SubmitJobAsync(XorJobs.Request("second", epochs: 5));
        await admin.SubmitJobAsync(XorJobs.Request("admin's", epochs: 5));

        Assert.Equal(new CallerQuota(2, 1), (await alice.GetAsync<RequestLimits>("/api/limits")).Caller);
        Assert.Equal(new CallerQuota(1, 2), (await admin.GetAsync<RequestLimits>("/api/limits")).Caller);
        Assert.Equal(new CallerQuota(null, null), (await predictor.GetAsync<RequestLimits>("/api/limits")).Caller);

        await alice.CancelJobAsync(first.Id);
        Assert.Equal(new CallerQuota(1, 2), (await alice.GetAsync<RequestLimits>("/api/limits")).Caller);
    }

    [Fact]
    public async Task Every_field_of_the_answer_is_described_in_the_OpenAPI_document_with_its_unit()
    {
        using var database = new TempDatabase();
        await using var factory = database.CreateFactory();
        var client = factory.CreateClient();
        using var document = JsonDocument.Parse(await client.GetStringAsync("/swagger/v1/swagger.json"));
        using var answer = JsonDocument.Parse(await client.GetStringAsync("/api/limits"));
        var schemas = document.RootElement.GetProperty("components").GetProperty("schemas");
        var operation = document.RootElement.GetProperty("paths").GetProperty("/api/limits").GetProperty("get");
        var answerSchema = operation.GetProperty("responses").GetProperty("200").GetProperty("content")
            .GetProperty("application/json").GetProperty("schema");

        var gaps = new List<string>();
        CheckDescribed(answer.RootElement, Resolve(answerSchema, schemas), schemas, "", gaps);

        Assert.True(gaps.Count == 0, string.Join("\n", gaps));
        Assert.Contains("bytes", operation.GetProperty("description").GetString());
    }

    private static async Task AssertRefusedAsync(HttpClient client, SubmitJobRequest request, string field)
    {
        using var response = await client.PostAsJsonAsync("/api/jobs", request, ApiClient.Json);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode} {body}");
        using var problem = JsonDocument.Parse(body);
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), body);
    }

    /// <summary>How a number's description says what it measures.</summary>
    private static readonly string[] Units = ["bytes", "seconds", "per second", "in characters", "a count", "in samples"];

    /// <summary>Each property of <paramref name="value"/> must be in <paramref name="schema"/> with a description that names its unit.</summary>
    private static void CheckDescribed(JsonElement value, JsonElement schema, JsonElement schemas, string path, List<string> gaps)
    {
        var properties = schema.GetProperty("properties");
        foreach (var property in value.EnumerateObject())
        {
            string name = path + property.Name;
            if (!properties.TryGetProperty(property.Name, out var described))
            {
                gaps.Add($"{name}: not in the schema.");
                continue;
            }
            string description = described.TryGetProperty("description", out var d) ? d.GetString() ?? "" : "";
            if (description.Length == 0) gaps.Add($"{name}: no description.");
            if (property.Value.ValueKind is JsonValueKind.Number or JsonValueKind.Null)
            {
                string[] units = property.Name.EndsWith("Bytes", StringComparison.Ordinal) ? ["bytes"]
                    : property.Name.EndsWith("Seconds", StringComparison.Ordinal) ? ["seconds"]
                    : Units;
                if (!units.Any(unit => description.Contains(unit, StringComparison.Ordinal)))
                    gaps.Add($"{name}: the description names none of the units {string.Join(", ", units)} ({description}).");
            }
            if (property.Value.ValueKind == JsonValueKind.Object)
                CheckDescribed(property.Value, Resolve(described, schemas), schemas, name + ".", gaps);
        }
    }

    /// <summary>The schema a property or response points to (<c>$ref</c>, or the first <c>$ref</c> of <c>allOf</c>/<c>oneOf</c>).</summary>
    private static JsonElement Resolve(JsonElement schema, JsonElement schemas)
    {
        if (schema.TryGetProperty("$ref", out var reference))
            return schemas.GetProperty(reference.GetString()!.Split('/')[^1]);
        foreach (string composition in new[] { "allOf", "oneOf", "anyOf" })
        {
            if (schema.TryGetProperty(composition, out var parts))
            {
                foreach (var part in parts.EnumerateArray())
                    if (part.TryGetProperty("$ref", out _)) return Resolve(part, schemas);
            }
        }
        return schema;
    }
}
