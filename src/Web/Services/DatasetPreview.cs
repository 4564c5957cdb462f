namespace BackpropService.Web.Services;

/// <summary>
/// A look at a dataset, as <c>GET /api/datasets/{id}/preview</c> answers: samples per class and the
/// first few samples (for image data, their pixels).
/// </summary>
public sealed record DatasetPreview(
    string Id,
    IReadOnlyDictionary<string, int>? ClassCounts,
    IReadOnlyList<float[]> Samples,
    IReadOnlyList<string?> Labels,
    int? ImageWidth);
