using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BackpropService.Api.Tests.Infrastructure;
using BackpropService.Contracts;

namespace BackpropService.Api.Tests;

/// <summary>Job requests that are well-formed but that the service must refuse before they are queued.</summary>
public sealed class JobValidationTests
{
    [Fact]
    public async Task A_batch_whose_training_buffers_exceed_the_activation_limit_is_refused_on_batchSize()
    {
        using var database = new TempDatabase();
        await using var factory = database.CreateFactory(new Dictionary<string, string?> { ["Limits:MaxActivationValues"] = "100000" });
        var client = factory.CreateClient();

        // xor: 500 samples, 50 held out. Batch 450: 450 rows × 102 neurons × 3 + 450 × (2 + 2) + 50 × 2 = 139,600 values.
        var (status, errors) = await SubmitAsync(client, XorJob(batchSize: 450));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        var message = Assert.Single(errors["batchSize"]);
        Assert.Contains("139,600", message);
        Assert.Contains("100,000", message);
        Assert.Empty(await client.GetAsync<List<Job>>("/api/jobs"));

        // Batch 32: the workspace has 256 rows, 256 × 102 × 3 + 32 × 4 + 100 = 78,564 values: accepted.
        await client.SubmitJobAsync(XorJob(batchSize: 32));
    }

    internal static SubmitJobRequest XorJob(int batchSize, double? validationSplit = null, string datasetId = "xor") => new()
    {
        DatasetId = datasetId,
        Layers = [new LayerDefinition(100, Activation.Tanh), new LayerDefinition(2, Activation.Softmax)],
        Cost = Cost.CrossEntropy,
        BatchSize = batchSize,
        ValidationSplit = validationSplit,
        Epochs = 1,
    };

    internal static async Task<(HttpStatusCode Status, Dictionary<string, string[]> Errors)> SubmitAsync(HttpClient client, SubmitJobRequest request)
    {
        var response = await client.PostAsJsonAsync("/api/jobs", request, ApiClient.Json);
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.BadRequest) return (response.StatusCode, []);
        using var problem = JsonDocument.Parse(body);
        var errors = problem.RootElement.GetProperty("errors").Deserialize<Dictionary<string, string[]>>()!;
        return (response.StatusCode, errors);
    }
}
