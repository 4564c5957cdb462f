using System.Net;
using System.Text;
using System.Text.Json;
using BackpropService.Api.Datasets;
using BackpropService.Api.Tests.Infrastructure;
using BackpropService.Contracts;
using BackpropService.Engine;
using Microsoft.Extensions.DependencyInjection;

namespace BackpropService.Api.Tests;

/// <summary>
/// A dataset's shape (channels × height × width) through the service: IDX images give [1, 28, 28], a CSV upload may
/// give one in its <c>shape</c> field (checked against the feature columns), it is stored with the dataset, and what
/// the training and the job checks get for the dataset carries it.
/// </summary>
public sealed class DatasetShapeTests(SharedService service) : IClassFixture<SharedService>
{
    [Fact]
    public async Task An_idx_upload_has_the_shape_one_by_28_by_28_in_the_upload_answer_the_list_and_the_detail()
    {
        using var database = new TempDatabase();
        await using var factory = database.CreateFactory();
        var client = factory.CreateClient();
        string folder = TestData.MnistFolder();

        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(await File.ReadAllBytesAsync(Path.Combine(folder, "test-images-idx3-ubyte.gz"))), "images", "test-images-idx3-ubyte.gz" },
            { new ByteArrayContent(await File.ReadAllBytesAsync(Path.Combine(folder, "test-labels-idx1-ubyte.gz"))), "labels", "test-labels-idx1-ubyte.gz" },
        };
        var response = await client.PostAsync("/api/datasets", form);
        string body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        using var created = JsonDocument.Parse(body);
        Assert.Equal("[1,28,28]", created.RootElement.GetProperty("shape").GetRawText());
        string id = created.RootElement.GetProperty("id").GetString()!;
        Assert.Equal([1, 28, 28], (await client.GetAsync<DatasetInfo>($"/api/datasets/{id}")).Shape);
        Assert.Equal([1, 28, 28], (await client.GetAsync<List<DatasetInfo>>("/api/datasets")).Single(d => d.Id == id).Shape);
        Assert.Equal(28, (await client.GetAsync<DatasetPreview>($"/api/datasets/{id}/preview?samples=2")).ImageWidth);
    }

    [Theory]
    [InlineData("1,2,3")]
    [InlineData("1x2x3")]
    [InlineData("[1, 2, 3]")]
    public async Task A_csv_uploaded_with_a_shape_has_it(string shape)
    {
        using var database = new TempDatabase();
        await using var factory = database.CreateFactory();
        var client = factory.CreateClient();

        var dataset = await UploadAsync(client, Csv(features: 6), shape);

        Assert.Equal([1, 2, 3], dataset.Shape);
        Assert.Equal(6, dataset.Features);
    }

    [Fact]
    public async Task A_csv_uploaded_without_a_shape_and_every_built_in_dataset_are_flat()
    {
        using var database = new TempDatabase();
        await using var factory = database.CreateFactory();
        var client = factory.CreateClient();

        var response = await client.PostAsync("/api/datasets", Form(Csv(features: 6), shape: null));
        string body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        using var created = JsonDocument.Parse(body);
        Assert.Equal(JsonValueKind.Null, created.RootElement.GetProperty("shape").ValueKind);
        Assert.All(await client.GetAsync<List<DatasetInfo>>("/api/datasets"), d => Assert.Null(d.Shape));
        Assert.Null((await client.GetAsync<DatasetInfo>("/api/datasets/xor")).Shape);
    }

    [Theory]
    [InlineData("1,8,9", "The shape 1x8x9 holds 72 values; the file has 64 feature columns")]
    [InlineData("8,8,8", "The shape 8x8x8 holds 512 values; the file has 64 feature columns")]
    [InlineData("1,100000,100000", "holds 10,000,000,000 values; the file has 64 feature columns")]
    [InlineData("2147483647,2147483647,2147483647", "the file has 64 feature columns")]
    [InlineData("99999999999,1,1", "too large")]
    [InlineData("0,8,8", "at least 1")]
    [InlineData("1,-8,8", "at least 1")]
    [InlineData("one,eight,eight", "not a whole number")]
    [InlineData("1.5,8,8", "not a whole number")]
    [InlineData("8,8", "has 2 numbers")]
    [InlineData("1,2,4,8", "more than three numbers")]
    [InlineData("64", "has 1 number")]
    public async Task A_bad_csv_shape_is_refused_with_a_problem_naming_shape_and_nothing_is_stored(string shape, string expected)
    {
        // Refused uploads store nothing: they share one service (a service per case was most of their time).
        var client = service.Client;

        var response = await client.PostAsync("/api/datasets", Form(Csv(features: 64), shape));

        string message = await AssertProblemOnShapeAsync(response);
        Assert.Contains(expected, message);
        Assert.All(await client.GetAsync<List<DatasetInfo>>("/api/datasets"), d => Assert.True(d.BuiltIn));
    }

    [Fact]
    public async Task A_shape_given_with_idx_images_is_refused_naming_shape()
    {
        var client = service.Client;
        using var form = IdxForm(count: 2, rows: 2, columns: 2);
        form.Add(new StringContent("1,2,2"), "shape");

        string message = await AssertProblemOnShapeAsync(await client.PostAsync("/api/datasets", form));

        Assert.Contains("IDX images carry their shape", message);
    }

    [Fact]
    public async Task An_idx_upload_built_here_takes_its_shape_from_the_header()
    {
        using var database = new TempDatabase();
        await using var factory = database.CreateFactory();
        var client = factory.CreateClient();
        using var form = IdxForm(count: 4, rows: 3, columns: 5);

        var response = await client.PostAsync("/api/datasets", form);
        string body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        var dataset = JsonSerializer.Deserialize<DatasetInfo>(body, ApiClient.Json)!;
        Assert.Equal([1, 3, 5], dataset.Shape);
        Assert.Equal(15, dataset.Features);
    }

    [Fact]
    public async Task The_shape_is_stored_and_after_a_restart_the_description_the_samples_and_the_job_checks_carry_it()
    {
        using var database = new TempDatabase();
        string id;
        await using (var factory = database.CreateFactory())
            id = (await UploadAsync(factory.CreateClient(), Csv(features: 6), "2,1,3")).Id;

        await using var restarted = database.CreateFactory();
        var client = restarted.CreateClient();
        var catalog = restarted.Services.GetRequiredService<DatasetCatalog>();

        var described = await client.GetAsync<DatasetInfo>($"/api/datasets/{id}");
        Assert.Equal([2, 1, 3], described.Shape);
        // What a job trains on (read from the database each time) and what the read endpoints share (through the cache).
        Assert.Equal(new TensorShape(2, 1, 3), catalog.Load(id)!.Shape);
        Assert.Equal(new TensorShape(2, 1, 3), (await catalog.LoadAsync(id, CancellationToken.None))!.Shape);
        // What a job's checks get.
        Assert.Equal(new TensorShape(2, 1, 3), DatasetCatalog.DataShapeOf(described).Shape);
        Assert.Null(DatasetCatalog.DataShapeOf(await client.GetAsync<DatasetInfo>("/api/datasets/xor")).Shape);
    }

    [Fact]
    public async Task A_shaped_dataset_previews_as_images_of_its_width_and_trains_with_dense_layers()
    {
        using var database = new TempDatabase();
        await using var factory = database.CreateFactory();
        var client = factory.CreateClient();
        var dataset = await UploadAsync(client, Csv(features: 6), "1,2,3");

        var preview = await client.GetAsync<DatasetPreview>($"/api/datasets/{dataset.Id}/preview?samples=3");
        var job = await client.SubmitJobAsync(new SubmitJobRequest
        {
            DatasetId = dataset.Id,
            Layers = [new LayerDefinition(4, Activation.Tanh), new LayerDefinition(2, Activation.Softmax)],
            Cost = Cost.CrossEntropy,
            Epochs = 2,
        });
        var done = await client.WaitUntilFinishedAsync(job.Id, TimeSpan.FromSeconds(60));

        Assert.Equal(3, preview.ImageWidth);
        Assert.Equal(3, preview.Samples.Count);
        Assert.All(preview.Samples, sample => Assert.Equal(6, sample.Length));
        Assert.True(done.Status == JobStatus.Succeeded, done.Error);
    }

    private static async Task<DatasetInfo> UploadAsync(HttpClient client, string csv, string? shape)
    {
        var response = await client.PostAsync("/api/datasets", Form(csv, shape));
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"upload: {(int)response.StatusCode} {body}");
        return JsonSerializer.Deserialize<DatasetInfo>(body, ApiClient.Json)!;
    }

    private static async Task<string> AssertProblemOnShapeAsync(HttpResponseMessage response)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"expected 400, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(body);
        var errors = problem.RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty("shape", out var messages), $"'shape' is not named in {body}");
        return string.Join(" ", messages.EnumerateArray().Select(m => m.GetString()));
    }

    private static MultipartFormDataContent Form(string csv, string? shape)
    {
        var form = new MultipartFormDataContent { { new StringContent(csv), "file", "data.csv" } };
        if (shape is not null) form.Add(new StringContent(shape), "shape");
        return form;
    }

    /// <summary>A header, then 20 rows of <paramref name="features"/> numbers and a label of two well-separated classes.</summary>
    private static string Csv(int features)
    {
        var csv = new StringBuilder();
        csv.AppendLine(string.Join(",", Enumerable.Range(0, features).Select(f => $"x{f}").Append("label")));
        for (int row = 0; row < 20; row++)
        {
            int label = row % 2;
            csv.AppendLine(string.Join(",", Enumerable.Range(0, features).Select(f => (label * 2 + (row * 7 + f) % 5 * 0.1).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)).Append(label == 0 ? "even" : "odd")));
        }
        return csv.ToString();
    }

    /// <summary>An IDX upload of <paramref name="count"/> blank images and labels alternating 0 and 1.</summary>
    private static MultipartFormDataContent IdxForm(int count, int rows, int columns) => new()
    {
        { new ByteArrayContent(IdxImages(count, rows, columns)), "images", "images-idx3-ubyte" },
        { new ByteArrayContent(IdxLabels(count)), "labels", "labels-idx1-ubyte" },
    };

    /// <summary>An IDX images file (magic 0x00000803) of blank images.</summary>
    private static byte[] IdxImages(int count, int rows, int columns)
    {
        var file = new byte[16 + count * rows * columns];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(file, 0x00000803);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(file.AsSpan(4), count);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(file.AsSpan(8), rows);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(file.AsSpan(12), columns);
        return file;
    }

    /// <summary>An IDX labels file (magic 0x00000801) alternating 0 and 1.</summary>
    private static byte[] IdxLabels(int count)
    {
        var file = new byte[8 + count];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(file, 0x00000801);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(file.AsSpan(4), count);
        for (int i = 0; i < count; i++) file[8 + i] = (byte)(i % 2);
        return file;
    }
}
