using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace BackpropService.Contracts.Json;

/// <summary>
/// Enums as camelCase strings (honouring <see cref="JsonStringEnumMemberNameAttribute"/>), read
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
        private readonly Dictionary<TEnum, string> _names = [];
        private readonly Dictionary<string, TEnum> _values = new(StringComparer.OrdinalIgnoreCase);
        private readonly string _accepted;

        public EnumConverter()
        {
            foreach (var field in typeof(TEnum).GetFields(BindingFlags.Public | BindingFlags.Static))
            {
                var value = (TEnum)field.GetValue(null)!;
                string name = field.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name
                    ?? JsonNamingPolicy.CamelCase.ConvertName(field.Name);
                _names[value] = name;
                _values[name] = value;
                _values.TryAdd(field.Name, value);
            }
            _accepted = string.Join(", ", _names.Values);
        }

        public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.String)
            {
                string? text = reader.GetString();
                if (text is not null && _values.TryGetValue(text, out var value)) return value;
                throw new JsonException($"'{text}' is not accepted here; use one of: {_accepted}.");
            }
            throw new JsonException($"Expected a string, one of: {_accepted}.");
        }

        public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options) =>
            writer.WriteStringValue(_names.TryGetValue(value, out var name) ? name : value.ToString());

        public override TEnum ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            Read(ref reader, typeToConvert, options);

        public override void WriteAsPropertyName(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options) =>
            writer.WritePropertyName(_names.TryGetValue(value, out var name) ? name : value.ToString());
    }
}
