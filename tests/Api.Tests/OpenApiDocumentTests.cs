using System.Net;
using System.Net.Http.Headers;
using System.Reflection;
using System.Text;
using System.Text.Json;
using BackpropService.Api.Apis;
using BackpropService.Api.Datasets;
using BackpropService.Api.Predict;
using BackpropService.Api.Tests.Infrastructure;
using BackpropService.Api.Tests.Predict;
using BackpropService.Api.Tests.Sweeps;
using BackpropService.Contracts;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace BackpropService.Api.Tests;

/// <summary>
/// The OpenAPI document tells the whole truth: a table of requests drives every endpoint through its success and
/// its known error answers, and each status it observes must be documented for that operation (a 4xx with a
/// problem-details schema, a 2xx with the body's media type). An endpoint without a row fails the test, so a new
/// endpoint cannot go undocumented unnoticed.
/// </summary>
/// <remarks>
/// The predict routes' limits are driven too: an output that overflows (422), a key past its burst (429), and with the
/// compute slot taken by the test itself, a full queue (503) and a request that waits past its timeout (504).
/// Not driven here: a 409 for deleting a running job or for an unreadable checkpoint (timing, a damaged database),
/// and 413 on the endpoints whose JSON body the framework binds: the test server does not enforce Kestrel's body
/// size limit. Those answers are documented all the same.
/// </remarks>
public sealed class OpenApiDocumentTests
{
    /// <summary>Predict requests one key may make here before its 429 (no token comes back during the test).</summary>
    private const int PredictBurst = 40;

    /// <summary>
    /// Small limits, so that the 413 answers take small bodies and the limits' answers few requests: a predict burst
    /// the admin key's rows stay within, one compute slot and a queue of one, a short timeout; and one dataset read at a
    /// time with no queue, so that those 503 answers take one held slot; one training slot with a queue of two per key,
    /// so that a third queued job gets 429 while a blocking job holds the slot.
    /// </summary>
    private static readonly Dictionary<string, string?> SmallLimits = new()
    {
        ["Limits:MaxJsonBytes"] = "16384",
        ["Limits:MaxUploadBytes"] = "65536",
        ["Limits:DatasetReadConcurrency"] = "1",
        ["Limits:DatasetReadQueue"] = "0",
        ["Limits:Predict:PermitsPerSecond"] = "0.001",
        ["Limits:Predict:Burst"] = PredictBurst.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Limits:Predict:Concurrency"] = "1",
        ["Limits:Predict:QueueLength"] = "1",
        ["Limits:Predict:TimeoutSeconds"] = "3",
        ["Limits:MaxQueuedJobsPerKey"] = "2",
        ["Training:Concurrency"] = "1",
    };

    /// <summary>
    /// One request, the endpoint (method and route pattern as the document spells it) it is for, and the status it must
    /// get; sent with the admin key unless <see cref="Key"/> names another.
    /// </summary>
    private sealed record Row(string Method, string Route, string Path, HttpContent? Body, HttpStatusCode Expected, string? Key = null);

    [Fact]
    public async Task Every_status_an_endpoint_answers_is_documented_for_it_with_its_body()
    {
        using var database = new TempDatabase();
        await using var factory = database.CreateFactory(SmallLimits);
        var client = factory.CreateClient();
        using var document = JsonDocument.Parse(await client.GetStringAsync("/swagger/v1/swagger.json"));

        // What the rows refer to: a finished job with its model on uploaded 2-feature data, that model's file,
        // and a long job to cancel.
        var dataset = await client.UploadCsvAsync(TestData.BlobsCsv(40, 2, 2, seed: 1), "two.csv");
        var job = await client.SubmitJobAsync(new SubmitJobRequest
        {
            Name = "openapi",
            DatasetId = dataset.Id,
            Layers = [new LayerDefinition(4, Activation.Tanh), new LayerDefinition(2, Activation.Softmax)],
            Cost = Cost.CrossEntropy,
            Epochs = 2,
        });
        job = await client.WaitUntilFinishedAsync(job.Id, TimeSpan.FromSeconds(60));
        Assert.Equal(JobStatus.Succeeded, job.Status);
        string model = job.ModelId!;
        var finishedSweep = await client.SubmitSweepAsync($$"""{ "name": "openapi", "base": {{SweepRequests.XorBase(epochs: 1)}}, "grid": { "seed": [1] } }""");
        await client.WaitUntilSweepFinishedAsync(finishedSweep.Id, TimeSpan.FromSeconds(60));
        var revokable = await client.PostAsync<CreatedApiKey>("/api/keys", new CreateApiKeyRequest("openapi-revoke", [ApiKeyScope.Predict]));
        byte[] modelFile = await client.GetByteArrayAsync($"/api/models/{model}/download");
        // Holds the only training slot, so that the jobs below stay queued: the long one and one row's fill the
        // key's queue of two, and the next submission gets 429.
        var blocker = await client.SubmitJobAsync(new SubmitJobRequest
        {
            DatasetId = "spirals", Layers = [new LayerDefinition(256, Activation.Tanh), new LayerDefinition(256, Activation.Tanh), new LayerDefinition(2, Activation.Softmax)],
            Cost = Cost.CrossEntropy, BatchSize = 1, Epochs = 10_000,
        });
        await client.WaitForJobAsync(blocker.Id, j => j.Status == JobStatus.Running, TimeSpan.FromSeconds(60));
        var longJob = await client.SubmitJobAsync(new SubmitJobRequest
        {
            DatasetId = "xor", Layers = [new LayerDefinition(2, Activation.Sigmoid)], Epochs = 10_000,
        });

        // A body of 4,000 numbers (24 kB) is larger than MaxJsonBytes; a 70,000-byte upload larger than MaxUploadBytes.
        float[] tooManyNumbers = [.. Enumerable.Repeat(0.125f, 4000)];
        Row[] beforeDeletes =
        [
            new("GET", "/api/datasets", "/api/datasets", null, HttpStatusCode.OK),
            new("GET", "/api/datasets", "/api/datasets?limit=0", null, HttpStatusCode.BadRequest),
            new("GET", "/api/datasets/{id}", $"/api/datasets/{dataset.Id}", null, HttpStatusCode.OK),
            new("GET", "/api/datasets/{id}", "/api/datasets/nope", null, HttpStatusCode.NotFound),
            new("POST", "/api/datasets", "/api/datasets", Csv(TestData.BlobsCsv(20, 2, 2, seed: 2)), HttpStatusCode.Created),
            new("POST", "/api/datasets", "/api/datasets", Form(("name", new StringContent("no file"))), HttpStatusCode.BadRequest),
            new("POST", "/api/datasets", "/api/datasets", Csv(new string('1', 70_000)), HttpStatusCode.RequestEntityTooLarge),
            new("POST", "/api/datasets", "/api/datasets", Json(new { }), HttpStatusCode.UnsupportedMediaType),
            new("GET", "/api/datasets/{id}/preview", $"/api/datasets/{dataset.Id}/preview", null, HttpStatusCode.OK),
            new("GET", "/api/datasets/{id}/preview", $"/api/datasets/{dataset.Id}/preview?samples=many", null, HttpStatusCode.BadRequest),
            new("GET", "/api/datasets/{id}/preview", "/api/datasets/nope/preview", null, HttpStatusCode.NotFound),
            new("DELETE", "/api/datasets/{id}", "/api/datasets/nope", null, HttpStatusCode.NotFound),
            new("DELETE", "/api/datasets/{id}", "/api/datasets/xor", null, HttpStatusCode.Conflict),

            new("POST", "/api/jobs", "/api/jobs", Json(new { datasetId = "xor", layers = new[] { new { size = 2, activation = "sigmoid" } }, epochs = 1 }), HttpStatusCode.Accepted),
            new("POST", "/api/jobs", "/api/jobs", Json(new { datasetId = "xor", layers = new[] { new { size = 2, activation = "sigmoid" } }, epochs = 1 }), HttpStatusCode.TooManyRequests),
            new("POST", "/api/jobs", "/api/jobs", Json(new { }), HttpStatusCode.BadRequest),
            new("POST", "/api/jobs", "/api/jobs", Text("epochs=1"), HttpStatusCode.UnsupportedMediaType),
            new("GET", "/api/jobs", "/api/jobs", null, HttpStatusCode.OK),
            new("GET", "/api/jobs", "/api/jobs?status=sleeping", null, HttpStatusCode.BadRequest),
            new("GET", "/api/jobs", "/api/jobs?after=somewhere", null, HttpStatusCode.BadRequest),
            new("GET", "/api/jobs/{id}", $"/api/jobs/{job.Id}", null, HttpStatusCode.OK),
            new("GET", "/api/jobs/{id}", "/api/jobs/nope", null, HttpStatusCode.NotFound),
            new("GET", "/api/jobs/{id}/metrics", $"/api/jobs/{job.Id}/metrics", null, HttpStatusCode.OK),
            new("GET", "/api/jobs/{id}/metrics", "/api/jobs/nope/metrics", null, HttpStatusCode.NotFound),
            new("POST", "/api/jobs/{id}/cancel", $"/api/jobs/{longJob.Id}/cancel", null, HttpStatusCode.Accepted),
            new("POST", "/api/jobs/{id}/cancel", $"/api/jobs/{job.Id}/cancel", null, HttpStatusCode.Conflict),
            new("POST", "/api/jobs/{id}/cancel", "/api/jobs/nope/cancel", null, HttpStatusCode.NotFound),
            new("DELETE", "/api/jobs/{id}", "/api/jobs/nope", null, HttpStatusCode.NotFound),
            new("GET", "/api/jobs/{id}/decision-boundary", $"/api/jobs/{job.Id}/decision-boundary?resolution=8", null, HttpStatusCode.OK),
            new("GET", "/api/jobs/{id}/decision-boundary", $"/api/jobs/{job.Id}/decision-boundary?resolution=1", null, HttpStatusCode.BadRequest),
            new("GET", "/api/jobs/{id}/decision-boundary", "/api/jobs/nope/decision-boundary", null, HttpStatusCode.NotFound),

            new("GET", "/api/models", "/api/models", null, HttpStatusCode.OK),
            new("GET", "/api/models", "/api/models?limit=all", null, HttpStatusCode.BadRequest),
            new("GET", "/api/limits", "/api/limits", null, HttpStatusCode.OK),
            new("GET", "/api/models/{id}", $"/api/models/{model}", null, HttpStatusCode.OK),
            new("GET", "/api/models/{id}", "/api/models/nope", null, HttpStatusCode.NotFound),
            new("POST", "/api/models/{id}/predict", $"/api/models/{model}/predict", Json(new { inputs = new[] { new[] { 0f, 0f } } }), HttpStatusCode.OK),
            new("POST", "/api/models/{id}/predict", $"/api/models/{model}/predict", Json(new { inputs = new[] { new[] { 0f } } }), HttpStatusCode.BadRequest),
            new("POST", "/api/models/{id}/predict", "/api/models/nope/predict", Json(new { inputs = new[] { new[] { 0f, 0f } } }), HttpStatusCode.NotFound),
            new("POST", "/api/models/{id}/predict", $"/api/models/{model}/predict", Json(new { model, inputs = new[] { tooManyNumbers } }), HttpStatusCode.RequestEntityTooLarge),
            new("POST", "/api/models/{id}/predict", $"/api/models/{model}/predict", Text("0,0"), HttpStatusCode.UnsupportedMediaType),
            new("POST", "/api/models/{id}/evaluate", $"/api/models/{model}/evaluate", Json(new { datasetId = dataset.Id }), HttpStatusCode.OK),
            new("POST", "/api/models/{id}/evaluate", $"/api/models/{model}/evaluate", Json(new { }), HttpStatusCode.BadRequest),
            new("POST", "/api/models/{id}/evaluate", "/api/models/nope/evaluate", Json(new { datasetId = dataset.Id }), HttpStatusCode.NotFound),
            new("POST", "/api/models/{id}/evaluate", $"/api/models/{model}/evaluate", Text("xor"), HttpStatusCode.UnsupportedMediaType),
            new("POST", "/api/keys", "/api/keys", Json(new { name = "openapi", scopes = new[] { "predict" } }), HttpStatusCode.Created),
            new("POST", "/api/keys", "/api/keys", Json(new { name = "openapi", scopes = Array.Empty<string>() }), HttpStatusCode.BadRequest),
            new("GET", "/api/keys", "/api/keys", null, HttpStatusCode.OK),
            new("GET", "/api/keys", "/api/keys?limit=501", null, HttpStatusCode.BadRequest),
            new("DELETE", "/api/keys/{id}", $"/api/keys/{revokable.Id}", null, HttpStatusCode.NoContent),
            new("DELETE", "/api/keys/{id}", "/api/keys/nope", null, HttpStatusCode.NotFound),
            new("GET", "/api/models/{name}/aliases", "/api/models/openapi/aliases", null, HttpStatusCode.OK),
            new("GET", "/api/models/{name}/aliases", "/api/models/nope/aliases", null, HttpStatusCode.NotFound),
            new("PUT", "/api/models/{name}/aliases/{alias}", "/api/models/openapi/aliases/prod", Json(new { version = 1 }), HttpStatusCode.OK),
            new("PUT", "/api/models/{name}/aliases/{alias}", "/api/models/openapi/aliases/prod", Json(new { version = 0 }), HttpStatusCode.BadRequest),
            new("PUT", "/api/models/{name}/aliases/{alias}", "/api/models/nope/aliases/prod", Json(new { version = 1 }), HttpStatusCode.NotFound),
            new("DELETE", "/api/models/{name}/aliases/{alias}", "/api/models/openapi/aliases/prod", null, HttpStatusCode.NoContent),
            new("DELETE", "/api/models/{name}/aliases/{alias}", "/api/models/openapi/aliases/prod", null, HttpStatusCode.NotFound),
            new("GET", "/api/models/{id}/download", $"/api/models/{model}/download", null, HttpStatusCode.OK),
            new("GET", "/api/models/{id}/download", $"/api/models/{model}/download?format=onnx", null, HttpStatusCode.OK),
            new("GET", "/api/models/{id}/download", $"/api/models/{model}/download?format=zip", null, HttpStatusCode.BadRequest),
            new("GET", "/api/models/{id}/download", "/api/models/nope/download", null, HttpStatusCode.NotFound),
            new("POST", "/api/models", "/api/models?name=copy", Bytes(modelFile), HttpStatusCode.Created),
            new("POST", "/api/models", "/api/models", Bytes([1, 2, 3]), HttpStatusCode.BadRequest),
            new("POST", "/api/models", "/api/models", Bytes(new byte[70_000]), HttpStatusCode.RequestEntityTooLarge),
            new("POST", "/api/models", "/api/models", new FormUrlEncodedContent([new("name", "copy")]), HttpStatusCode.UnsupportedMediaType),
            new("DELETE", "/api/models/{id}", "/api/models/nope", null, HttpStatusCode.NotFound),

            new("POST", "/predict", "/predict", Json(new { model, inputs = new[] { new[] { 0f, 0f } } }), HttpStatusCode.OK),
            new("POST", "/predict", "/predict", Json(new { model, inputs = new[] { new[] { 0f } } }), HttpStatusCode.BadRequest),
            new("POST", "/predict", "/predict", Json(new { model = "nope", inputs = new[] { new[] { 0f, 0f } } }), HttpStatusCode.NotFound),
            new("POST", "/predict", "/predict", Json(new { model, inputs = new[] { tooManyNumbers } }), HttpStatusCode.RequestEntityTooLarge),
            new("POST", "/predict", "/predict", Text("0,0"), HttpStatusCode.UnsupportedMediaType),

            new("POST", "/api/explain", "/api/explain", Json(ExplainApi.WorkedExample.Value), HttpStatusCode.OK),
            new("POST", "/api/explain", "/api/explain", Json(new { }), HttpStatusCode.BadRequest),
            new("POST", "/api/explain", "/api/explain", Text("0.05 0.10"), HttpStatusCode.UnsupportedMediaType),
            new("GET", "/api/models/{id}/explain-request", $"/api/models/{model}/explain-request?sample=3", null, HttpStatusCode.OK),
            new("GET", "/api/models/{id}/explain-request", $"/api/models/{model}/explain-request?sample=-1", null, HttpStatusCode.BadRequest),
            new("GET", "/api/models/{id}/explain-request", "/api/models/nope/explain-request", null, HttpStatusCode.NotFound),
        ];
        var gaps = new List<string>();
        await RunAsync(client, document, beforeDeletes, gaps);

        // The reads that load a whole dataset, while the test holds their only slot (and their queue has no room).
        using (await factory.Services.GetRequiredService<DatasetReadLimiter>().AcquireAsync(CancellationToken.None))
        {
            Row[] saturated =
            [
                new("GET", "/api/datasets/{id}/preview", $"/api/datasets/{dataset.Id}/preview", null, HttpStatusCode.ServiceUnavailable),
                new("GET", "/api/jobs/{id}/decision-boundary", $"/api/jobs/{job.Id}/decision-boundary", null, HttpStatusCode.ServiceUnavailable),
                new("POST", "/api/models/{id}/evaluate", $"/api/models/{model}/evaluate", Json(new { datasetId = dataset.Id }), HttpStatusCode.ServiceUnavailable),
                new("GET", "/api/models/{id}/explain-request", $"/api/models/{model}/explain-request", null, HttpStatusCode.ServiceUnavailable),
            ];
            await RunAsync(client, document, saturated, gaps);
        }

        // The predict limits: an output that overflows (y = 2x at 3e38), a key past its burst; then, with the one
        // compute slot taken by the test itself, a request that waits in the queue past its timeout, and with the
        // queue's one place taken too, a request that finds no room.
        var doubler = await client.ImportAsync(PredictClient.ScalingModel(weight: 2), "openapi-doubler");
        var burstKey = await client.PostAsync<CreatedApiKey>("/api/keys", new CreateApiKeyRequest("openapi-burst", [ApiKeyScope.Predict]));
        var burstClient = factory.CreateClientWithKey(burstKey.Key);
        for (int i = 0; i < PredictBurst; i++)
            await burstClient.PredictJsonAsync("/predict", new PredictRequest(model, [[0f, 0f]]));
        Row[] limits =
        [
            new("POST", "/predict", "/predict", Json(new { model = "openapi-doubler", inputs = new[] { new[] { 3e38f } } }), HttpStatusCode.UnprocessableEntity),
            new("POST", "/api/models/{id}/predict", $"/api/models/{doubler.Id}/predict", Json(new { inputs = new[] { new[] { 3e38f } } }), HttpStatusCode.UnprocessableEntity),
            new("POST", "/predict", "/predict", Json(new { model, inputs = new[] { new[] { 0f, 0f } } }), HttpStatusCode.TooManyRequests, burstKey.Key),
            new("POST", "/api/models/{id}/predict", $"/api/models/{model}/predict", Json(new { inputs = new[] { new[] { 0f, 0f } } }), HttpStatusCode.TooManyRequests, burstKey.Key),
        ];
        await RunAsync(client, document, limits, gaps);
        var computeLimiter = factory.Services.GetRequiredService<PredictComputeLimiter>();
        Row[] waitedTooLong =
        [
            new("POST", "/predict", "/predict", Json(new { model, inputs = new[] { new[] { 0f, 0f } } }), HttpStatusCode.GatewayTimeout),
            new("POST", "/api/models/{id}/predict", $"/api/models/{model}/predict", Json(new { inputs = new[] { new[] { 0f, 0f } } }), HttpStatusCode.GatewayTimeout),
        ];
        Row[] noRoom =
        [
            new("POST", "/predict", "/predict", Json(new { model, inputs = new[] { new[] { 0f, 0f } } }), HttpStatusCode.ServiceUnavailable),
            new("POST", "/api/models/{id}/predict", $"/api/models/{model}/predict", Json(new { inputs = new[] { new[] { 0f, 0f } } }), HttpStatusCode.ServiceUnavailable),
        ];
        using (var slot = await computeLimiter.AcquireAsync(CancellationToken.None))
        {
            Assert.True(slot.IsAcquired);
            await RunAsync(client, document, waitedTooLong, gaps);
            var queued = computeLimiter.AcquireAsync(CancellationToken.None);
            Assert.False(queued.IsCompleted);
            await RunAsync(client, document, noRoom, gaps);
            slot.Dispose();
            (await queued).Dispose();
        }

        // Sweeps, while the blocker holds the training slot: an active sweep fills the key's queue of two (with the
        // job queued above), so another sweep gets 429 until the active one is cancelled.
        var activeSweep = await client.SubmitSweepAsync($$"""{ "name": "openapi active", "base": {{SweepRequests.XorBase(epochs: 1)}}, "grid": { "seed": [1] } }""");
        string oneJobSweep = $$"""{ "name": "openapi", "base": {{SweepRequests.XorBase(epochs: 1)}}, "grid": { "seed": [1] } }""";
        Row[] sweeps =
        [
            new("POST", "/api/sweeps", "/api/sweeps", SweepRequests.Json(oneJobSweep), HttpStatusCode.TooManyRequests),
            new("POST", "/api/sweeps", "/api/sweeps", Json(new { name = "openapi" }), HttpStatusCode.BadRequest),
            new("POST", "/api/sweeps", "/api/sweeps", Text("grid"), HttpStatusCode.UnsupportedMediaType),
            new("GET", "/api/sweeps", "/api/sweeps", null, HttpStatusCode.OK),
            new("GET", "/api/sweeps", "/api/sweeps?limit=0", null, HttpStatusCode.BadRequest),
            new("GET", "/api/sweeps/{id}", $"/api/sweeps/{finishedSweep.Id}", null, HttpStatusCode.OK),
            new("GET", "/api/sweeps/{id}", "/api/sweeps/nope", null, HttpStatusCode.NotFound),
            new("POST", "/api/sweeps/{id}/cancel", $"/api/sweeps/{activeSweep.Id}/cancel", null, HttpStatusCode.Accepted),
            new("POST", "/api/sweeps/{id}/cancel", $"/api/sweeps/{finishedSweep.Id}/cancel", null, HttpStatusCode.Conflict),
            new("POST", "/api/sweeps/{id}/cancel", "/api/sweeps/nope/cancel", null, HttpStatusCode.NotFound),
            new("POST", "/api/sweeps", "/api/sweeps", SweepRequests.Json(oneJobSweep), HttpStatusCode.Accepted),
        ];
        await RunAsync(client, document, sweeps, gaps);

        // The deletes last, once no job trains on the dataset any more.
        await client.WaitUntilFinishedAsync(longJob.Id, TimeSpan.FromSeconds(60));
        await client.CancelJobAsync(blocker.Id);
        Row[] deletes =
        [
            new("DELETE", "/api/models/{id}", $"/api/models/{model}", null, HttpStatusCode.NoContent),
            new("DELETE", "/api/jobs/{id}", $"/api/jobs/{job.Id}", null, HttpStatusCode.NoContent),
            new("DELETE", "/api/datasets/{id}", $"/api/datasets/{dataset.Id}", null, HttpStatusCode.NoContent),
        ];
        await RunAsync(client, document, deletes, gaps);

        Row[] rows = [.. beforeDeletes, .. limits, .. waitedTooLong, .. noRoom, .. sweeps, .. deletes];
        var endpoints = DescribedEndpoints(factory.Services).ToList();
        foreach (var row in rows.Where(r => !endpoints.Contains((r.Method, r.Route))))
            gaps.Add($"{row.Method} {row.Route}: the table names an endpoint the app does not have.");
        foreach (var (method, route) in endpoints)
        {
            if (!rows.Any(r => r.Method == method && r.Route == route && (int)r.Expected < 300))
                gaps.Add($"{method} {route}: no row drives this endpoint to a success; add its requests to this table.");
        }
        Assert.True(gaps.Count == 0, string.Join("\n", gaps));
    }

    private static async Task RunAsync(HttpClient client, JsonDocument document, Row[] rows, List<string> gaps)
    {
        foreach (var row in rows)
        {
            using var request = new HttpRequestMessage(new HttpMethod(row.Method), row.Path) { Content = row.Body };
            if (row.Key is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", row.Key);
            using var response = await client.SendAsync(request);
            string body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == row.Expected,
                $"{row.Method} {row.Path}: expected {(int)row.Expected}, got {(int)response.StatusCode} {body}");
            if (Undocumented(document, row, response, body.Length > 0) is { } gap) gaps.Add(gap);
        }
    }

    /// <summary>Null when the document lists the answer for the row's operation; else what it is missing.</summary>
    private static string? Undocumented(JsonDocument document, Row row, HttpResponseMessage response, bool hasBody)
    {
        int status = (int)response.StatusCode;
        string where = $"{row.Method} {row.Route} → {status}";
        if (!document.RootElement.GetProperty("paths").TryGetProperty(row.Route, out var path)
            || !path.TryGetProperty(row.Method.ToLowerInvariant(), out var operation))
            return $"{row.Method} {row.Route}: the operation is not in the document.";
        if (!operation.GetProperty("responses").TryGetProperty(status.ToString(System.Globalization.CultureInfo.InvariantCulture), out var documented))
            return $"{where}: the status is not documented.";
        if (!hasBody) return null;

        string mediaType = response.Content.Headers.ContentType?.MediaType ?? "";
        if (!documented.TryGetProperty("content", out var content) || !content.TryGetProperty(mediaType, out var media))
            return $"{where}: the body ({mediaType}) is not documented.";
        if (status >= 400)
        {
            string schema = media.TryGetProperty("schema", out var s) ? s.GetRawText() : "";
            if (!schema.Contains("#/components/schemas/ProblemDetails\"", StringComparison.Ordinal)
                && !schema.Contains("#/components/schemas/HttpValidationProblemDetails\"", StringComparison.Ordinal))
                return $"{where}: the body is documented without a problem-details schema ({schema}).";
        }
        return null;
    }

    /// <summary>Every endpoint the API explorer describes (method and route pattern), from the app's own endpoint list.</summary>
    private static IEnumerable<(string Method, string Route)> DescribedEndpoints(IServiceProvider services) =>
        services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<MethodInfo>() is not null
                && e.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>() is not { ExcludeFromDescription: true })
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []).Select(method =>
                (method, "/" + e.RoutePattern.RawText!.Trim('/'))))
            .Distinct();

    private static StringContent Json(object value) =>
        new(JsonSerializer.Serialize(value, ApiClient.Json), Encoding.UTF8, "application/json");

    private static StringContent Text(string text) => new(text, Encoding.UTF8, "text/plain");

    private static ByteArrayContent Bytes(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return content;
    }

    private static MultipartFormDataContent Csv(string csv) => Form(("file", new StringContent(csv)));

    private static MultipartFormDataContent Form(params (string Name, HttpContent Content)[] fields)
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, content) in fields)
        {
            if (name == "file") form.Add(content, name, "data.csv");
            else form.Add(content, name);
        }
        return form;
    }
}
