using System.Buffers;
using System.Numerics.Tensors;
using System.Text.Json;
using BackpropService.Api.Models;

namespace BackpropService.Api.Predict;

/// <summary>
/// Writes the answer from the computed <see cref="PredictOutputs"/>, JSON (<c>{ modelId, predictions: [ { outputs,
/// class, label } ] }</c>, the same bytes the framework's serializer wrote) or binary
/// (<see cref="BinaryPredictFormat"/>). Synchronous, into buffers reused by the thread.
/// </summary>
public static class PredictResponseWriter
{
    private static readonly JsonEncodedText ModelIdName = JsonEncodedText.Encode("modelId");
    private static readonly JsonEncodedText PredictionsName = JsonEncodedText.Encode("predictions");
    private static readonly JsonEncodedText OutputsName = JsonEncodedText.Encode("outputs");
    private static readonly JsonEncodedText ClassName = JsonEncodedText.Encode("class");
    private static readonly JsonEncodedText LabelName = JsonEncodedText.Encode("label");

    /// <summary>A thread's JSON buffer is kept if it stayed below this size.</summary>
    private const int KeptBufferBytes = 1 << 20;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>Writes the JSON answer into a buffer of the calling thread, valid until its next call.</summary>
    public static ReadOnlyMemory<byte> WriteJson(LoadedModel model, PredictOutputs predictions)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(4096);
        buffer.ResetWrittenCount();
        var writer = t_writer ??= new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true });
        writer.Reset(buffer);

        writer.WriteStartObject();
        writer.WriteString(ModelIdName, model.IdJson);
        writer.WriteStartArray(PredictionsName);
        for (int row = 0; row < predictions.Rows; row++)
        {
            var outputs = predictions.Row(row);
            writer.WriteStartObject();
            writer.WriteStartArray(OutputsName);
            foreach (float value in outputs) writer.WriteNumberValue(value); // finite: PredictOutputs refuses the others
            writer.WriteEndArray();
            if (model.Labels is { } labels)
            {
                int winner = TensorPrimitives.IndexOfMax<float>(outputs);
                writer.WriteNumber(ClassName, winner);
                writer.WriteString(LabelName, labels[winner]);
            }
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.Flush();

        var written = buffer.WrittenMemory;
        if (buffer.Capacity > KeptBufferBytes)
        {
            // One huge answer: let it go with this request rather than keep it for the thread's life.
            t_buffer = null;
            t_writer = null;
        }
        return written;
    }

    /// <summary>Bytes of the binary answer, to set Content-Length before writing.</summary>
    public static long BinaryLength(LoadedModel model, int rows) =>
        BinaryPredictFormat.HeaderSize + model.IdUtf8.Length + (long)rows * model.Outputs * sizeof(float)
        + (model.IsClassifier ? (long)rows * sizeof(int) : 0);

    public static void WriteBinary(IBufferWriter<byte> output, LoadedModel model, PredictOutputs predictions)
    {
        BinaryPredictFormat.WriteHeader(output, predictions.Rows, model.Outputs, model.IdUtf8, model.IsClassifier);
        for (int row = 0; row < predictions.Rows; row++) BinaryPredictFormat.WriteFloats(output, predictions.Row(row));
        if (model.IsClassifier)
        {
            for (int row = 0; row < predictions.Rows; row++)
                BinaryPredictFormat.WriteInt32(output, TensorPrimitives.IndexOfMax<float>(predictions.Row(row)));
        }
    }
}
