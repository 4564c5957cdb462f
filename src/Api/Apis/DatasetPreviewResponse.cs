namespace BackpropService.Api.Apis;

/// <summary>A look at a dataset: samples per class (classification) and the first samples.</summary>
/// <param name="ImageWidth">For square image data (e.g. 28 for MNIST): the side length; null otherwise.</param>
public sealed record DatasetPreviewResponse(
    string Id,
    IReadOnlyDictionary<string, int>? ClassCounts,
    IReadOnlyList<float[]> Samples,
    IReadOnlyList<string> Labels,
    int? ImageWidth);
