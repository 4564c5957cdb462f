namespace BackpropService.Api.Persistence;

/// <summary>The portable model file of a <see cref="ModelEntity"/>.</summary>
public sealed class ModelContentEntity
{
    public required string ModelId { get; set; }
    public required byte[] Data { get; set; }
}
