using System.Text.Json;
using System.Text.Json.Serialization;

namespace BackpropService.Contracts.Json;

/// <summary>
/// Enums as their <see cref="WireName"/> (camelCase, or a <see cref="JsonStringEnumMemberNameAttribute"/>'s name), read
/// case-insensitively. Unlike <see cref="JsonStringEnumConverter"/>, an unknown value fails with a
/// message that lists the accepted ones, so the 400 answer tells the caller what to send instead.
/// </summary>
public sealed class CamelCaseEnumConverter : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(EnumConverter<>).MakeGenericType(typeToConvert))!;

    private sealed class EnumConverter<TEnum> : JsonConverter<TEnum>
        where TEnum : struct, Enum
    {
        private readonly Dictionary<string, TEnum> _values = new(StringComparer.OrdinalIgnoreCase);

        public EnumConverter()
        {
            foreach (TEnum value in Enum.GetValues<TEnum>())
            {
                _values.TryAdd(WireName.Of(value), value);
                // The C# member name is accepted too (RmsProp for rmsprop), case-insensitively.
                _values.TryAdd(value.ToString(), value);
            }
        }

        public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.String)
            {
                string? text = reader.GetString();
                if (text is not null && _values.TryGetValue(text, out var value)) return value;
                throw new UnacceptedValueException($"'{text}' is not accepted here; use one of: {WireName.Accepted<TEnum>()}.");
            }
            throw new UnacceptedValueException($"Expected a string, one of: {WireName.Accepted<TEnum>()}.");
        }

        public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options) =>
            writer.WriteStringValue(WireName.Of(value));

        public override TEnum ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            Read(ref reader, typeToConvert, options);

        public override void WriteAsPropertyName(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options) =>
            writer.WritePropertyName(WireName.Of(value));
    }
}
