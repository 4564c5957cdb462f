namespace BackpropService.Contracts;

/// <summary>
/// A look at a dataset (<c>GET /api/datasets/{id}/preview</c>): samples per class and the first few samples
/// (for image data, their pixels).
/// </summary>
/// <param name="ClassCounts">Samples per class name; null for regression.</param>
/// <param name="Labels">Each shown sample's class name (regression: its target).</param>
/// <param name="ImageWidth">
/// For image data, how many values make one row of pixels: the width of the dataset's shape (28 for MNIST; channels
/// follow one under the other), or for a flat dataset with a square number of features the side; null otherwise.
/// </param>
public sealed record DatasetPreview(
    string Id,
    IReadOnlyDictionary<string, int>? ClassCounts,
    IReadOnlyList<float[]> Samples,
    IReadOnlyList<string> Labels,
    int? ImageWidth);
