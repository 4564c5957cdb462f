namespace BackpropService.Api.Persistence;

/// <summary>A dataset's samples, kept apart so that listing datasets never loads them.</summary>
public sealed class DatasetContentEntity
{
    public required string DatasetId { get; set; }
    public required byte[] Data { get; set; }
}
