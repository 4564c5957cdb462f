using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using BackpropService.Api.Tests.Infrastructure;
using BackpropService.Api.Tests.Models;
using BackpropService.Contracts;

namespace BackpropService.Api.Tests;

/// <summary>
/// Model import takes only application/octet-stream or multipart/form-data: the content types a page on another
/// site can send without a CORS preflight (text/plain, urlencoded forms) are refused, even with a valid key.
/// </summary>
public sealed class ModelImportTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData(null)]
    public async Task A_model_file_sent_as_another_content_type_gets_415_and_is_not_imported(string? contentType)
    {
        await using var factory = _database.CreateFactory();
        using var admin = factory.CreateClient();
        var file = await TrainedModelFileAsync(admin);

        using var content = new ByteArrayContent(file);
        content.Headers.ContentType = contentType is null ? null : new MediaTypeHeaderValue(contentType);
        var response = await admin.PostAsync("/api/models?name=planted", content);

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.UnsupportedMediaType, $"{(int)response.StatusCode} {body}");
        using var problem = JsonDocument.Parse(body);
        Assert.Contains("application/octet-stream", problem.RootElement.GetProperty("errors").GetProperty("body")[0].GetString());
        Assert.DoesNotContain(await admin.GetAsync<List<ModelInfo>>("/api/models"), m => m.Name == "planted");
    }

    [Fact]
    public async Task A_model_file_sent_as_octet_stream_or_as_a_multipart_file_is_imported()
    {
        await using var factory = _database.CreateFactory();
        using var admin = factory.CreateClient();
        var file = await TrainedModelFileAsync(admin);

        using var raw = new ByteArrayContent(file);
        raw.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var asBody = await admin.PostAsync("/api/models?name=raw-copy", raw);
        using var form = new MultipartFormDataContent { { new ByteArrayContent(file), "file", "model.bpm" }, { new StringContent("form-copy"), "name" } };
        var asForm = await admin.PostAsync("/api/models", form);

        Assert.Equal(HttpStatusCode.Created, asBody.StatusCode);
        Assert.Equal(HttpStatusCode.Created, asForm.StatusCode);
        var names = (await admin.GetAsync<List<ModelInfo>>("/api/models")).Select(m => m.Name).ToList();
        Assert.Contains("raw-copy", names);
        Assert.Contains("form-copy", names);
    }

    [Fact]
    public async Task A_valid_model_file_with_more_parameters_than_a_job_may_have_is_refused_though_under_the_upload_size()
    {
        await using var factory = _database.CreateFactory();
        using var admin = factory.CreateClient();
        // 2 inputs → 100,000 → 500 → 2: every layer within Limits:MaxLayerSize, 50,301,502 weights and biases in all
        // (the limit is 5,000,000), so a 201 MB file, under the 200 MiB upload limit.
        using var file = new StreamedModelFile(inputs: 2, layerSizes: [100_000, 500, 2]);
        Assert.True(file.Length < new BackpropService.Api.Options.ServiceLimits().MaxUploadBytes);

        var response = await admin.PostAsync("/api/models?name=huge", file);

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode} {body}");
        using var problem = JsonDocument.Parse(body);
        string message = problem.RootElement.GetProperty("errors").GetProperty("file")[0].GetString()!;
        Assert.Contains("50,301,502", message);
        Assert.Contains("5,000,000", message);
        Assert.Contains("Limits:MaxParameters", message);
        Assert.DoesNotContain(await admin.GetAsync<List<ModelInfo>>("/api/models"), m => m.Name == "huge");
    }

    private static async Task<byte[]> TrainedModelFileAsync(HttpClient client)
    {
        var job = await client.SubmitJobAsync(new SubmitJobRequest
        {
            Name = "source",
            DatasetId = "xor",
            Layers = [new LayerDefinition(2, Activation.Softmax)],
            Epochs = 1,
        });
        var done = await client.WaitUntilFinishedAsync(job.Id, TimeSpan.FromSeconds(60));
        Assert.Equal(JobStatus.Succeeded, done.Status);
        return await client.GetByteArrayAsync($"/api/models/{done.ModelId}/download");
    }
}
