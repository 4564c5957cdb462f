using BackpropService.Contracts;

namespace BackpropService.Api.Persistence;

/// <summary>An uploaded dataset's description; its samples are in <see cref="DatasetContentEntity"/>.</summary>
public sealed class DatasetEntity : IListedEntity
{
    public required string Id { get; set; }
    public required string Name { get; set; }
    public LearningTask Task { get; set; }
    public int Samples { get; set; }
    public int Features { get; set; }
    public int Outputs { get; set; }
    public List<string>? Classes { get; set; }

    /// <summary>
    /// The features as channels × height × width (IDX images, a CSV uploaded with a shape); all three null for a flat
    /// dataset, as every row from before shapes is. The stored samples carry the same shape; these columns let a list
    /// describe datasets without reading them.
    /// </summary>
    public int? ShapeChannels { get; set; }
    public int? ShapeHeight { get; set; }
    public int? ShapeWidth { get; set; }
    public DateTime CreatedAt { get; set; }

    /// <summary>The API key that created it (id and name at the time); null for rows from before access control.</summary>
    public string? CreatedByKeyId { get; set; }
    public string? CreatedByName { get; set; }
    public DatasetContentEntity? Content { get; set; }
}
