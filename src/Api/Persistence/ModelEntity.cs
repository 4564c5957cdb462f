using BackpropService.Contracts;

namespace BackpropService.Api.Persistence;

/// <summary>A stored model; (<see cref="Name"/>, <see cref="Version"/>) is unique. The model file is in
/// <see cref="ModelContentEntity"/>.</summary>
public sealed class ModelEntity : IListedEntity
{
    public required string Id { get; set; }
    public required string Name { get; set; }
    public int Version { get; set; }
    public string? JobId { get; set; }
    public string? DatasetId { get; set; }
    public LearningTask Task { get; set; }
    public int Inputs { get; set; }

    /// <summary>The input as channels × height × width, as JSON ([1,28,28]); null for a flat input (and models stored before shapes).</summary>
    public string? InputShape { get; set; }
    public int Outputs { get; set; }
    public List<string>? Classes { get; set; }

    /// <summary>The layers as JSON (<see cref="LayerShape"/> list).</summary>
    public required string Layers { get; set; }

    /// <summary>The <see cref="EpochMetrics"/> of the stored weights as JSON, if trained here.</summary>
    public string? Metrics { get; set; }

    public DateTime CreatedAt { get; set; }

    /// <summary>The API key that created it (id and name at the time); null for rows from before access control.</summary>
    public string? CreatedByKeyId { get; set; }
    public string? CreatedByName { get; set; }
    public ModelContentEntity? Content { get; set; }
}
