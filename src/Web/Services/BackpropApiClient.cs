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

    public Task<ApiResult<List<Job>>> ListJobsAsync(CancellationToken cancellationToken = default) =>
        SendAsync<List<Job>>(HttpMethod.Get, "api/jobs", null, cancellationToken);

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

    public Task<ApiResult<List<ModelInfo>>> ListModelsAsync(CancellationToken cancellationToken = default) =>
        SendAsync<List<ModelInfo>>(HttpMethod.Get, "api/models", null, cancellationToken);

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

    public Task<ApiResult<RequestLimits>> GetLimitsAsync(CancellationToken cancellationToken = default) =>
        SendAsync<RequestLimits>(HttpMethod.Get, "api/limits", null, cancellationToken);

    public Task<ApiResult<List<DatasetInfo>>> ListDatasetsAsync(CancellationToken cancellationToken = default) =>
        SendAsync<List<DatasetInfo>>(HttpMethod.Get, "api/datasets", null, cancellationToken);

    public Task<ApiResult<DatasetPreview>> GetDatasetPreviewAsync(string id, int samples, CancellationToken cancellationToken = default) =>
        SendAsync<DatasetPreview>(HttpMethod.Get, $"api/datasets/{Uri.EscapeDataString(id)}/preview?samples={samples}", null, cancellationToken);

    public Task<ApiResult<DatasetInfo>> UploadDatasetAsync(MultipartFormDataContent form, CancellationToken cancellationToken = default) =>
        SendAsync<DatasetInfo>(HttpMethod.Post, "api/datasets", form, cancellationToken);

    private async Task<ApiResult<T>> SendAsync<T>(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        try
        {
            using var request = await AuthorizedAsync(method, path, content);
            using var response = await http.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.IsSuccessStatusCode)
                return new ApiResult<T>(JsonSerializer.Deserialize<T>(body, Json), null);
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
