using System.Numerics.Tensors;
using BackpropService.Contracts;
using BackpropService.Engine;
using BackpropService.Engine.Data;

namespace BackpropService.Api.Apis;

/// <summary>
/// Draws <see cref="DecisionBoundary"/> for a model on 2-feature classification data: its scores on a grid
/// that covers the data with a margin, and (a sample of) the data points.
/// </summary>
public static class DecisionBoundaryPlot
{
    /// <summary>At most this many data points go with the grid; larger data is sampled evenly.</summary>
    private const int MaxPoints = 600;

    /// <summary>Rows of data scanned between two looks at the cancellation token.</summary>
    private const int RowsPerCheck = 65_536;

    /// <param name="model">The model to score; null (no epoch completed yet) gives an all-zero grid.</param>
    /// <param name="dataset">2-feature classification data (<see cref="Dataset.Labels"/> set).</param>
    /// <param name="cancellationToken">The request's: checked every <see cref="RowsPerCheck"/> data rows and every grid row.</param>
    public static DecisionBoundary Draw(TrainedModel? model, Dataset dataset, int epoch, int resolution, CancellationToken cancellationToken)
    {
        var (xs, ys) = (Axis(dataset, 0, resolution, cancellationToken), Axis(dataset, 1, resolution, cancellationToken));
        double[][] scores = model is null
            ? [.. Enumerable.Range(0, resolution).Select(_ => new double[resolution])]
            : Score(model, xs, ys, cancellationToken);

        int step = Math.Max(1, dataset.Samples / MaxPoints);
        var pointX = new List<double>();
        var pointY = new List<double>();
        var pointClass = new List<int>();
        for (int i = 0; i < dataset.Samples; i += step)
        {
            var input = dataset.Input(i);
            pointX.Add(input[0]);
            pointY.Add(input[1]);
            pointClass.Add(dataset.Labels![i]);
        }
        return new DecisionBoundary(epoch, xs, ys, scores, pointX, pointY, pointClass,
            dataset.ClassNames ?? [.. Enumerable.Range(0, dataset.Outputs).Select(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
    }

    private static double[] Axis(Dataset dataset, int feature, int resolution, CancellationToken cancellationToken)
    {
        float min = float.MaxValue, max = float.MinValue;
        for (int i = 0; i < dataset.Samples; i++)
        {
            if (i % RowsPerCheck == 0) cancellationToken.ThrowIfCancellationRequested();
            float value = dataset.Input(i)[feature];
            min = Math.Min(min, value);
            max = Math.Max(max, value);
        }
        double margin = Math.Max(1e-3, (max - min) * 0.1);
        double from = min - margin, to = max + margin;
        return [.. Enumerable.Range(0, resolution).Select(i => from + (to - from) * i / (resolution - 1))];
    }

    /// <summary>Two classes: the class-1 output (a probability for sigmoid/softmax); more: the winning class index.</summary>
    private static double[][] Score(TrainedModel model, double[] xs, double[] ys, CancellationToken cancellationToken)
    {
        var scores = new double[ys.Length][];
        Span<float> input = stackalloc float[2];
        Span<float> output = stackalloc float[model.Outputs];
        for (int row = 0; row < ys.Length; row++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            scores[row] = new double[xs.Length];
            for (int column = 0; column < xs.Length; column++)
            {
                input[0] = (float)xs[column];
                input[1] = (float)ys[row];
                model.Predict(input, output);
                scores[row][column] = model.Outputs == 2 ? output[1] / Math.Max(1e-9, output[0] + output[1])
                    : model.Outputs == 1 ? output[0]
                    : TensorPrimitives.IndexOfMax(output);
            }
        }
        return scores;
    }
}
