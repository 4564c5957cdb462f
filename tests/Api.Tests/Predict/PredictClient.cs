using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using BackpropService.Api.Tests.Infrastructure;
using BackpropService.Contracts;
using BackpropService.Engine;
using BackpropService.Engine.Activations;
using BackpropService.Engine.Data;
using BackpropService.Engine.Training;

namespace BackpropService.Api.Tests.Predict;

/// <summary>Builds binary predict bodies and reads binary answers, as a high-rate client would.</summary>
public static class PredictClient
{
    public const string BinaryType = "application/x-float32";

    /// <summary>A request body: 16-byte header, the model name, then the rows as little-endian float32.</summary>
    public static byte[] BinaryBody(string? model, float[][] rows, int? columns = null, uint? rowCount = null, uint magic = 0x3146_5042, ushort flags = 0)
    {
        var name = model is null ? [] : Encoding.UTF8.GetBytes(model);
        int width = columns ?? rows[0].Length;
        var body = new byte[16 + name.Length + rows.Sum(r => r.Length) * 4];
        BinaryPrimitives.WriteUInt32LittleEndian(body, magic);
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(4), rowCount ?? (uint)rows.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(8), (uint)width);
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(12), (ushort)name.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(14), flags);
        name.CopyTo(body, 16);
        int at = 16 + name.Length;
        foreach (var value in rows.SelectMany(r => r))
        {
            BinaryPrimitives.WriteSingleLittleEndian(body.AsSpan(at), value);
            at += 4;
        }
        return body;
    }

    public static ByteArrayContent Binary(byte[] body, string contentType = BinaryType)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return content;
    }

    public sealed record BinaryAnswer(string ModelId, float[][] Outputs, int[]? Classes);

    public static BinaryAnswer ReadAnswer(byte[] answer)
    {
        Assert.Equal(0x3146_5042u, BinaryPrimitives.ReadUInt32LittleEndian(answer));
        int rows = (int)BinaryPrimitives.ReadUInt32LittleEndian(answer.AsSpan(4));
        int outputs = (int)BinaryPrimitives.ReadUInt32LittleEndian(answer.AsSpan(8));
        int idLength = BinaryPrimitives.ReadUInt16LittleEndian(answer.AsSpan(12));
        bool classes = (BinaryPrimitives.ReadUInt16LittleEndian(answer.AsSpan(14)) & 1) != 0;
        string id = Encoding.UTF8.GetString(answer, 16, idLength);
        int at = 16 + idLength;
        Assert.Equal(at + rows * outputs * 4 + (classes ? rows * 4 : 0), answer.Length);
        var values = new float[rows][];
        for (int r = 0; r < rows; r++)
        {
            values[r] = new float[outputs];
            for (int o = 0; o < outputs; o++, at += 4) values[r][o] = BinaryPrimitives.ReadSingleLittleEndian(answer.AsSpan(at));
        }
        int[]? indices = null;
        if (classes)
        {
            indices = new int[rows];
            for (int r = 0; r < rows; r++, at += 4) indices[r] = BinaryPrimitives.ReadInt32LittleEndian(answer.AsSpan(at));
        }
        return new BinaryAnswer(id, values, indices);
    }

    public static async Task<BinaryAnswer> PredictBinaryAsync(this HttpClient client, string url, byte[] body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = Binary(body) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(BinaryType));
        var response = await client.SendAsync(request);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"POST {url}: {(int)response.StatusCode} {Encoding.UTF8.GetString(bytes)}");
        Assert.Equal(BinaryType, response.Content.Headers.ContentType?.MediaType);
        return ReadAnswer(bytes);
    }

    /// <summary>Imports a model file under <paramref name="name"/> and returns it.</summary>
    public static async Task<ModelInfo> ImportAsync(this HttpClient client, byte[] file, string name)
    {
        var content = new ByteArrayContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var response = await client.PostAsync($"/api/models?name={Uri.EscapeDataString(name)}", content);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"import: {(int)response.StatusCode} {body}");
        return JsonSerializer.Deserialize<ModelInfo>(body, ApiClient.Json)!;
    }

    /// <summary>A small classifier file (2-<paramref name="hidden"/>-2 on xor, tanh/softmax), different for each seed.</summary>
    public static byte[] XorModel(ulong seed = 1, int hidden = 8)
    {
        var trainer = Trainer.Start(SyntheticDatasets.Create("xor", 40), new TrainingOptions
        {
            Layers = [new LayerSpec(hidden, ActivationKind.Tanh), new LayerSpec(2, ActivationKind.Softmax)],
            Cost = Engine.Costs.CostKind.CrossEntropy,
            Epochs = 1,
            Seed = seed,
            ValidationSplit = 0,
        });
        trainer.RunEpoch();
        return trainer.CreateModel().ToBytes();
    }

    /// <summary>
    /// A regression model file with one input and one identity output, y = <paramref name="weight"/>·x (no hidden
    /// layer, no normalization): with weight 2 an input of 3e38 gives +∞, as float arithmetic overflows.
    /// </summary>
    public static byte[] ScalingModel(float weight)
    {
        var network = new Network<float>(1, [new LayerSpec(1, ActivationKind.Identity)]);
        network.Weights(0)[0] = weight;
        network.Biases(0)[0] = 0;
        return new TrainedModel(network, new Normalizer(NormalizationKind.None, [0f], [1f]), TaskKind.Regression, null,
            Engine.Costs.CostKind.Quadratic, options: null).ToBytes();
    }

    /// <summary>A job that trains a small xor classifier (2-4-2, tanh/softmax) in 3 epochs, named <paramref name="name"/>.</summary>
    public static SubmitJobRequest XorJob(string name, ulong seed) => new()
    {
        Name = name,
        DatasetId = "xor",
        Layers = [new LayerDefinition(4, BackpropService.Contracts.Activation.Tanh), new LayerDefinition(2, BackpropService.Contracts.Activation.Softmax)],
        Cost = BackpropService.Contracts.Cost.CrossEntropy,
        Epochs = 3,
        Seed = seed,
    };

    public static async Task<PredictResponse> PredictJsonAsync(this HttpClient client, string url, PredictRequest request)
    {
        var response = await client.PostAsJsonAsync(url, request, ApiClient.Json);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"POST {url}: {(int)response.StatusCode} {body}");
        return JsonSerializer.Deserialize<PredictResponse>(body, ApiClient.Json)!;
    }
}
