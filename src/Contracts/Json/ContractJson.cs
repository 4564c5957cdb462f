using System.Text.Json;

namespace BackpropService.Contracts.Json;

/// <summary>The wire format: camelCase properties, enums as camelCase strings.</summary>
public static class ContractJson
{
    /// <summary>Options for clients (web defaults plus the enum converter).</summary>
    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>Adds the service's conventions to <paramref name="options"/> and returns it.</summary>
    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.Converters.Add(new CamelCaseEnumConverter());
        return options;
    }
}
