using System.Text.Json.Serialization;

namespace BackpropService.Api.Cluster;

/// <summary>
/// A committed write to stored state that processes hold copies of in memory. The writer names what it changed;
/// <see cref="CacheInvalidation"/> says who must forget what.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(ApiKeysChanged), "apiKeys")]
[JsonDerivedType(typeof(ModelsChanged), "models")]
public abstract record StateChange;

/// <summary>A key was created or revoked.</summary>
public sealed record ApiKeysChanged : StateChange;

/// <summary>A new version or a moved alias of the model named <paramref name="Name"/>, or the deletion of <paramref name="ModelId"/>.</summary>
public sealed record ModelsChanged(string? Name, string? ModelId) : StateChange;
