using System.Net.Http.Json;
using System.Text.Json;
using BackpropService.Contracts;
using BackpropService.Contracts.Json;

namespace BackpropService.Web.Services;

/// <summary>
/// The service's public REST API, as the dashboard uses it (a typed <see cref="HttpClient"/>), with the
/// signed-in key. The key is set on each request, not by a message handler: handlers live in a DI scope of
/// their own, while <paramref name="session"/> is the circuit's.
/// </summary>
public sealed class BackpropApiClient(HttpClient http, DashboardSession session)
{
    private static JsonSerializerOptions Json => ContractJson.Options;

    public Uri BaseAddress => http.BaseAddress!;

    /// <summary>The first page of jobs, newest first.</summary>
    public Task<ApiResult<ListPage<Job>>> ListJobsAsync(CancellationToken cancellationToken = default) =>
        ListJobsAsync(ListPaging.DefaultLimit, after: null, cancellationToken);

    /// <summary><paramref name="limit"/> jobs, newest first, after the cursor <paramref name="after"/> (null: from the newest).</summary>
    public Task<ApiResult<ListPage<Job>>> ListJobsAsync(int limit, string? after, CancellationToken cancellationToken = default) =>
        SendPageAsync<Job>("api/jobs", limit, after, cancellationToken);

    public Task<ApiResult<Job>> GetJobAsync(string id, CancellationToken cancellationToken = default) =>
        SendAsync<Job>(HttpMethod.Get, $"api/jobs/{Uri.EscapeDataString(id)}", null, cancellationToken);

    public Task<ApiResult<List<EpochMetrics>>> GetMetricsAsync(string id, CancellationToken cancellationToken = default) =>
        SendAsync<List<EpochMetrics>>(HttpMethod.Get, $"api/jobs/{Uri.EscapeDataString(id)}/metrics", null, cancellationToken);

    public Task<ApiResult<Job>> SubmitJobAsync(SubmitJobRequest request, CancellationToken cancellationToken = default) =>
        SendAsync<Job>(HttpMethod.Post, "api/jobs", JsonContent.Create(request, options: Json), cancellationToken);

    public Task<ApiResult<Job>> CancelJobAsync(string id, CancellationToken cancellationToken = default) =>
        SendAsync<Job>(HttpMethod.Post, $"api/jobs/{Uri.EscapeDataString(id)}/cancel", null, cancellationToken);

    public Task<ApiResult<DecisionBoundary>> GetDecisionBoundaryAsync(string jobId, int resolution, CancellationToken cancellationToken = default) =>
        SendAsync<DecisionBoundary>(HttpMethod.Get, $"api/jobs/{Uri.EscapeDataString(jobId)}/decision-boundary?resolution={resolution}", null, cancellationToken);

    /// <summary><paramref name="limit"/> sweeps, newest first, after the cursor <paramref name="after"/> (null: from the newest).</summary>
    public Task<ApiResult<ListPage<Sweep>>> ListSweepsAsync(int limit, string? after, CancellationToken cancellationToken = default) =>
        SendPageAsync<Sweep>("api/sweeps", limit, after, cancellationToken);

    public Task<ApiResult<Sweep>> GetSweepAsync(string id, CancellationToken cancellationToken = default) =>
        SendAsync<Sweep>(HttpMethod.Get, $"api/sweeps/{Uri.EscapeDataString(id)}", null, cancellationToken);

    public Task<ApiResult<Sweep>> CancelSweepAsync(string id, CancellationToken cancellationToken = default) =>
        SendAsync<Sweep>(HttpMethod.Post, $"api/sweeps/{Uri.EscapeDataString(id)}/cancel", null, cancellationToken);

    /// <summary>The first page of models, newest first.</summary>
    public Task<ApiResult<ListPage<ModelInfo>>> ListModelsAsync(CancellationToken cancellationToken = default) =>
        ListModelsAsync(ListPaging.DefaultLimit, after: null, cancellationToken);

    /// <summary><paramref name="limit"/> models, newest first, after the cursor <paramref name="after"/> (null: from the newest).</summary>
    public Task<ApiResult<ListPage<ModelInfo>>> ListModelsAsync(int limit, string? after, CancellationToken cancellationToken = default) =>
        SendPageAsync<ModelInfo>("api/models", limit, after, cancellationToken);

    public Task<ApiResult<ModelInfo>> GetModelAsync(string id, CancellationToken cancellationToken = default) =>
        SendAsync<ModelInfo>(HttpMethod.Get, $"api/models/{Uri.EscapeDataString(id)}", null, cancellationToken);

    public Task<ApiResult<List<ModelAlias>>> GetAliasesAsync(string name, CancellationToken cancellationToken = default) =>
        SendAsync<List<ModelAlias>>(HttpMethod.Get, $"api/models/{Uri.EscapeDataString(name)}/aliases", null, cancellationToken);

    public Task<ApiResult<ModelAlias>> SetAliasAsync(string name, string alias, int? version, CancellationToken cancellationToken = default) =>
        SendAsync<ModelAlias>(HttpMethod.Put, $"api/models/{Uri.EscapeDataString(name)}/aliases/{Uri.EscapeDataString(alias)}",
            JsonContent.Create(new SetAliasRequest(version), options: Json), cancellationToken);

    public Task<ApiResult<PredictResponse>> PredictAsync(string modelId, IReadOnlyList<float[]?> inputs, CancellationToken cancellationToken = default) =>
        SendAsync<PredictResponse>(HttpMethod.Post, $"api/models/{Uri.EscapeDataString(modelId)}/predict",
            JsonContent.Create(new PredictRequest(modelId, inputs), options: Json), cancellationToken);

    public Task<ApiResult<EvaluationReport>> EvaluateAsync(string modelId, string datasetId, CancellationToken cancellationToken = default) =>
        SendAsync<EvaluationReport>(HttpMethod.Post, $"api/models/{Uri.EscapeDataString(modelId)}/evaluate",
            JsonContent.Create(new EvaluateRequest(datasetId), options: Json), cancellationToken);

    /// <summary>The model file as the API answers it (headers read, body not yet); the caller disposes it.</summary>
    public async Task<HttpResponseMessage> DownloadModelAsync(string modelId, CancellationToken cancellationToken = default)
    {
        using var request = await AuthorizedAsync(HttpMethod.Get, $"api/models/{Uri.EscapeDataString(modelId)}/download", null);
        return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    /// <summary>One backprop step on one sample, every number in double precision (<c>POST /api/explain</c>).</summary>
    public Task<ApiResult<ExplainResponse>> ExplainAsync(ExplainRequest request, CancellationToken cancellationToken = default) =>
        SendAsync<ExplainResponse>(HttpMethod.Post, "api/explain", JsonContent.Create(request, options: Json), cancellationToken);

    /// <summary>The model's parameters and sample <paramref name="sample"/> of its dataset, as a body for <see cref="ExplainAsync"/>.</summary>
    public Task<ApiResult<ExplainRequest>> GetModelExplainRequestAsync(string modelId, int sample, CancellationToken cancellationToken = default) =>
        SendAsync<ExplainRequest>(HttpMethod.Get, $"api/models/{Uri.EscapeDataString(modelId)}/explain-request?sample={sample}", null, cancellationToken);

    public Task<ApiResult<RequestLimits>> GetLimitsAsync(CancellationToken cancellationToken = default) =>
        SendAsync<RequestLimits>(HttpMethod.Get, "api/limits", null, cancellationToken);

    /// <summary>Every dataset (the job form offers them all), read a page at a time.</summary>
    public async Task<ApiResult<List<DatasetInfo>>> ListDatasetsAsync(CancellationToken cancellationToken = default)
    {
        var all = new List<DatasetInfo>();
        string? after = null;
        do
        {
            var page = await SendPageAsync<DatasetInfo>("api/datasets", ListPaging.MaxLimit, after, cancellationToken);
            if (page.Value is null) return new ApiResult<List<DatasetInfo>>(default, page.Problem);
            all.AddRange(page.Value.Items);
            after = page.Value.NextCursor;
        }
        while (after is not null);
        return new ApiResult<List<DatasetInfo>>(all, null);
    }

    public Task<ApiResult<DatasetInfo>> GetDatasetAsync(string id, CancellationToken cancellationToken = default) =>
        SendAsync<DatasetInfo>(HttpMethod.Get, $"api/datasets/{Uri.EscapeDataString(id)}", null, cancellationToken);

    public Task<ApiResult<DatasetPreview>> GetDatasetPreviewAsync(string id, int samples, CancellationToken cancellationToken = default) =>
        SendAsync<DatasetPreview>(HttpMethod.Get, $"api/datasets/{Uri.EscapeDataString(id)}/preview?samples={samples}", null, cancellationToken);

    public Task<ApiResult<DatasetInfo>> UploadDatasetAsync(MultipartFormDataContent form, CancellationToken cancellationToken = default) =>
        SendAsync<DatasetInfo>(HttpMethod.Post, "api/datasets", form, cancellationToken);

    /// <summary>A page of a list: a JSON array, and the next page's cursor from its header.</summary>
    private Task<ApiResult<ListPage<T>>> SendPageAsync<T>(string path, int limit, string? after, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, $"{path}?limit={limit}" + (after is null ? "" : $"&after={Uri.EscapeDataString(after)}"), null,
            (response, body) => new ListPage<T>(JsonSerializer.Deserialize<List<T>>(body, Json) ?? [],
                response.Headers.TryGetValues(ListPaging.NextCursorHeader, out var cursor) ? cursor.FirstOrDefault() : null),
            cancellationToken);

    private Task<ApiResult<T>> SendAsync<T>(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken) =>
        SendAsync(method, path, content, (_, body) => JsonSerializer.Deserialize<T>(body, Json), cancellationToken);

    /// <summary>Sends the request; a success is read by <paramref name="read"/>, anything else becomes a problem.</summary>
    private async Task<ApiResult<T>> SendAsync<T>(HttpMethod method, string path, HttpContent? content,
        Func<HttpResponseMessage, string, T?> read, CancellationToken cancellationToken)
    {
        try
        {
            using var request = await AuthorizedAsync(method, path, content);
            using var response = await http.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.IsSuccessStatusCode)
                return new ApiResult<T>(read(response, body), null);
            return new ApiResult<T>(default, ReadProblem((int)response.StatusCode, response.ReasonPhrase, body));
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            // Not the caller's token: the HttpClient's timeout ran out.
            return new ApiResult<T>(default, new ApiProblem(0, "The service did not answer in time.", e.Message, new Dictionary<string, string[]>()));
        }
        catch (HttpRequestException e)
        {
            return new ApiResult<T>(default, new ApiProblem(0, "The service cannot be reached.", e.Message, new Dictionary<string, string[]>()));
        }
        catch (JsonException e)
        {
            return new ApiResult<T>(default, new ApiProblem(0, "The service sent an answer the dashboard cannot read.", e.Message, new Dictionary<string, string[]>()));
        }
    }

    private async Task<HttpRequestMessage> AuthorizedAsync(HttpMethod method, string path, HttpContent? content)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        if (await session.ApiKeyAsync() is { } key) request.Headers.Authorization = new("Bearer", key);
        return request;
    }

    private static ApiProblem ReadProblem(int status, string? reason, string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            string title = root.TryGetProperty("title", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : reason ?? $"HTTP {status}";
            string? detail = root.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
            var errors = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
            if (root.TryGetProperty("errors", out var e) && e.ValueKind == JsonValueKind.Object)
                foreach (var field in e.EnumerateObject())
                    errors[field.Name] = field.Value.ValueKind == JsonValueKind.Array
                        ? field.Value.EnumerateArray().Select(v => v.ToString()).ToArray()
                        : [field.Value.ToString()];
            return new ApiProblem(status, title, detail, errors);
        }
        catch (JsonException)
        {
            return new ApiProblem(status, reason ?? $"HTTP {status}", string.IsNullOrWhiteSpace(body) ? null : body, new Dictionary<string, string[]>());
        }
    }
}
