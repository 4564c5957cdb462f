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

    [Theory]
    [InlineData(null, 0, "no validation")]   // the default 0.1 of 4 samples: round(0.4) = 0 held out
    [InlineData(0.9, 4, "no training")]      // round(3.6) = 4: all held out
    [InlineData(0.125, 1, null)]             // round(0.5) = 1 (halves away from zero, as DatasetSplit rounds): accepted
    [InlineData(0.0, 0, null)]               // no split at all: accepted
    public async Task A_validation_split_that_leaves_a_part_of_a_tiny_dataset_empty_is_refused_on_validationSplit(
        double? split, int heldOut, string? emptyPart)
    {
        using var database = new TempDatabase();
        await using var factory = database.CreateFactory();
        var client = factory.CreateClient();
        var tiny = await client.UploadCsvAsync("x,y,label\n0,0,a\n0,1,b\n1,0,b\n1,1,a\n", "tiny.csv");
        Assert.Equal(4, tiny.Samples);

        var (status, errors) = await SubmitAsync(client, XorJob(batchSize: 2, split, tiny.Id));
        if (emptyPart is null)
        {
            Assert.Equal(HttpStatusCode.Accepted, status);
            return;
        }
        Assert.Equal(HttpStatusCode.BadRequest, status);
        var message = Assert.Single(errors["validationSplit"]);
        Assert.Contains($"holds out {heldOut}", message);
        Assert.Contains($"leaves {emptyPart} samples", message);
        Assert.Empty(await client.GetAsync<List<Job>>("/api/jobs"));
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
