namespace BackpropService.Contracts;

/// <summary>
/// A job's current decision boundary over a 2-feature dataset (<c>GET /api/jobs/{id}/decision-boundary</c>):
/// the class-1 (or winning-class) score on a grid, and the data points.
/// </summary>
/// <param name="Epoch">The checkpoint's epoch the grid was computed from (0 before the first epoch: all scores 0).</param>
/// <param name="Scores">Scores[row][column]: row i is Ys[i], column j is Xs[j].</param>
public sealed record DecisionBoundary(
    int Epoch,
    IReadOnlyList<double> Xs,
    IReadOnlyList<double> Ys,
    IReadOnlyList<IReadOnlyList<double>> Scores,
    IReadOnlyList<double> PointX,
    IReadOnlyList<double> PointY,
    IReadOnlyList<int> PointClass,
    IReadOnlyList<string> Classes);
