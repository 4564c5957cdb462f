namespace BackpropService.Api.OpenApi;

/// <summary>
/// Endpoint metadata for a query parameter the handler reads as text (to answer a bad value with a problem naming it)
/// but that takes the wire names of <see cref="EnumType"/>: documented as that list, with its default.
/// </summary>
public sealed record EnumQueryParameter(string Name, Type EnumType, string Default, string Description);
