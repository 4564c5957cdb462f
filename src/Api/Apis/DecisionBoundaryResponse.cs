namespace BackpropService.Api.Apis;

/// <summary>A job's decision boundary on a grid, with the data points.</summary>
/// <param name="Epoch">The checkpoint's epoch (0 before the first epoch: all scores 0).</param>
/// <param name="Scores">Scores[row][column] at (Xs[column], Ys[row]).</param>
public sealed record DecisionBoundaryResponse(
    int Epoch,
    IReadOnlyList<double> Xs,
    IReadOnlyList<double> Ys,
    IReadOnlyList<double[]> Scores,
    IReadOnlyList<double> PointX,
    IReadOnlyList<double> PointY,
    IReadOnlyList<int> PointClass,
    IReadOnlyList<string> Classes);
