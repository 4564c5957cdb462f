using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using BackpropService.Engine;
using BackpropService.Engine.Activations;
using BackpropService.Engine.Costs;
using BackpropService.Engine.Data;

namespace BackpropService.Api.Tests.Models;

/// <summary>
/// A complete, valid model file (classifier, ReLU hidden layers, softmax output, all weights zero) of any size, sent as
/// <c>application/octet-stream</c> and written as it is sent, so a test never holds it: the envelope's header,
/// the payload (written here after the format's description in <see cref="TrainedModel"/>), and its SHA-256 computed
/// along the way, from one reused buffer: sending it allocates next to nothing on the client's side.
/// </summary>
public sealed class StreamedModelFile : HttpContent
{
    private const int ChunkBytes = 1 << 16;
    private readonly byte[] _shape;
    private readonly long _parameters;

    public StreamedModelFile(int inputs, IReadOnlyList<int> layerSizes)
    {
        _parameters = new NetworkShape(inputs, [.. layerSizes.Select((size, l) =>
            new LayerSpec(size, l == layerSizes.Count - 1 ? ActivationKind.Softmax : ActivationKind.Relu))]).ParameterCount;
        using var payloadStart = new MemoryStream();
        using (var writer = new BinaryWriter(payloadStart, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write((int)TaskKind.Classification);
            writer.Write(inputs);
            writer.Write(0); writer.Write(0); writer.Write(0); // a flat input: no channels × height × width
            writer.Write(layerSizes.Count);
            for (int l = 0; l < layerSizes.Count; l++)
            {
                // Kind, size, activation, then the conv/pool/dropout settings a dense layer leaves at their defaults.
                writer.Write((int)LayerKind.Dense);
                writer.Write(layerSizes[l]);
                writer.Write((int)(l == layerSizes.Count - 1 ? ActivationKind.Softmax : ActivationKind.Relu));
                writer.Write(0); writer.Write(0); writer.Write(1); writer.Write(0); writer.Write(0); // filters, kernel, stride, padding, pool size
                writer.Write(0.0);                                                                   // dropout rate
            }
            writer.Write((int)CostKind.CrossEntropy);
            writer.Write(layerSizes[^1]);
            for (int c = 0; c < layerSizes[^1]; c++) writer.Write($"class{c}");
            new Normalizer(NormalizationKind.None, new float[inputs], [.. Enumerable.Repeat(1f, inputs)]).WriteTo(writer);
            writer.Write(false); // no training options
            writer.Write(checked((int)_parameters));
        }
        _shape = payloadStart.ToArray();
        Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
    }

    private long PayloadLength => _shape.Length + _parameters * sizeof(float);

    /// <summary>The whole file's length: magic, version, payload length, payload, SHA-256.</summary>
    public long Length => 8 + 4 + 8 + PayloadLength + 32;

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        var header = new byte[20];
        Encoding.ASCII.GetBytes(TrainedModel.FileMagic).CopyTo(header, 0);
        BitConverter.TryWriteBytes(header.AsSpan(8), TrainedModel.FileVersion);
        BitConverter.TryWriteBytes(header.AsSpan(12), PayloadLength);
        await stream.WriteAsync(header);

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(_shape);
        await stream.WriteAsync(_shape);
        var zeros = new byte[ChunkBytes];
        for (long left = _parameters * sizeof(float); left > 0; left -= ChunkBytes)
        {
            var chunk = zeros.AsMemory(0, (int)Math.Min(ChunkBytes, left));
            hash.AppendData(chunk.Span);
            await stream.WriteAsync(chunk);
        }
        await stream.WriteAsync(hash.GetHashAndReset());
    }

    protected override bool TryComputeLength(out long length)
    {
        length = Length;
        return true;
    }
}
