using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace BackpropService.Api.Predict;

/// <summary>
/// Reads a JSON predict body (<c>{ "model": "…", "inputs": [[…], …] }</c>) straight into flat rows with
/// <see cref="Utf8JsonReader"/>: no array per row, numbers parsed by <see cref="JsonFloat"/>. It accepts
/// what the framework's binder accepted for <see cref="Contracts.PredictRequest"/> (property names in any
/// case, unknown properties ignored, numbers also as strings) and names the field of every failure the
/// same way (<c>inputs[0][3]</c>).
/// </summary>
public static class PredictJsonReader
{
    /// <summary>Parses <paramref name="json"/>; rows past <paramref name="maxRows"/> are counted, not kept.</summary>
    /// <exception cref="PredictInputException">The body is not valid JSON of this shape.</exception>
    public static (string? Model, PredictRows? Rows, int RowCount) Read(ReadOnlySpan<byte> json, int maxRows)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 64 });
        string field = "body";
        var position = (Row: -1, Column: -1); // where in "inputs" the reader is, for an error's field
        string? model = null;
        PredictRows? rows = null;
        int rowCount = 0;
        try
        {
            if (!reader.Read()) throw new PredictInputException("body", "The request needs a JSON body.");
            if (reader.TokenType != JsonTokenType.StartObject)
                throw new PredictInputException("body", "Expected a JSON object with 'model' and 'inputs'.");
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (IsProperty(ref reader, "model"u8))
                {
                    field = "model";
                    reader.Read();
                    model = reader.TokenType switch
                    {
                        JsonTokenType.String => reader.GetString(),
                        JsonTokenType.Null => null,
                        _ => throw new PredictInputException("model", "Expected a string."),
                    };
                }
                else if (IsProperty(ref reader, "inputs"u8))
                {
                    field = "inputs";
                    reader.Read();
                    rows?.Dispose();
                    (rows, rowCount) = ReadInputs(ref reader, json.Length, maxRows, ref position);
                    position = (-1, -1);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
                field = "body";
            }
            // Trailing content after the object makes the reader throw here.
            while (reader.Read())
            {
            }
            return (model, rows, rowCount);
        }
        catch (JsonException e)
        {
            rows?.Dispose();
            if (position.Row >= 0) field = position.Column >= 0 ? Field(position.Row, position.Column) : Field(position.Row);
            throw new PredictInputException(field, Describe(e));
        }
        catch
        {
            rows?.Dispose();
            throw;
        }
    }

    private static (PredictRows? Rows, int Count) ReadInputs(ref Utf8JsonReader reader, int bodyLength, int maxRows, ref (int Row, int Column) position)
    {
        if (reader.TokenType == JsonTokenType.Null) return (null, 0);
        if (reader.TokenType != JsonTokenType.StartArray) throw new PredictInputException("inputs", "Expected an array.");
        // At most one number per two bytes of body ("0,"); start big enough for a typical single-row body.
        var rows = new PredictRows(Math.Min(bodyLength / 2 + 1, 1 << 16));
        int count = 0;
        try
        {
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                int row = count++;
                position = (row, -1);
                if (count > maxRows)
                {
                    // Too many rows: counted for the answer, not kept.
                    reader.Skip();
                    continue;
                }
                if (reader.TokenType == JsonTokenType.Null)
                {
                    rows.AddMissingRow();
                    continue;
                }
                if (reader.TokenType != JsonTokenType.StartArray)
                    throw new PredictInputException(Field(row), "Expected an array.");
                rows.BeginRow();
                int column = 0;
                while (true)
                {
                    position.Column = column;
                    if (!reader.Read()) break;
                    var token = reader.TokenType;
                    if (token == JsonTokenType.Number)
                    {
                        if (!JsonFloat.TryParse(reader.ValueSpan, out float value))
                            throw new PredictInputException(Field(row, column), "Expected a number.");
                        rows.Add(value);
                    }
                    else if (token == JsonTokenType.EndArray)
                    {
                        break;
                    }
                    else if (token == JsonTokenType.String && TryParseQuoted(ref reader, out float quoted))
                    {
                        rows.Add(quoted); // the framework's web defaults read numbers from strings too
                    }
                    else
                    {
                        throw new PredictInputException(Field(row, column), "Expected a number.");
                    }
                    column++;
                }
                position = (-1, -1);
            }
            return (rows, count);
        }
        catch
        {
            rows.Dispose();
            throw;
        }
    }

    private static bool TryParseQuoted(ref Utf8JsonReader reader, out float value)
    {
        if (!reader.ValueIsEscaped) return JsonFloat.TryParse(reader.ValueSpan, out value);
        var text = reader.GetString()!;
        return float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    private static bool IsProperty(ref Utf8JsonReader reader, ReadOnlySpan<byte> name)
    {
        // The framework's web defaults match property names in any case.
        if (!reader.ValueIsEscaped) return System.Text.Ascii.EqualsIgnoreCase(reader.ValueSpan, name);
        return string.Equals(reader.GetString(), Encoding.UTF8.GetString(name), StringComparison.OrdinalIgnoreCase);
    }

    private static string Field(int row) => $"inputs[{row}]";

    private static string Field(int row, int column) => $"inputs[{row}][{column}]";

    private static string Describe(JsonException e)
    {
        var message = e.Message;
        int at = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (at > 0) message = message[..at];
        if (e.LineNumber is { } line && e.BytePositionInLine is { } position)
            message += $" (line {line + 1}, position {position + 1})";
        return message.Trim();
    }
}
