using System.Numerics.Tensors;
using BackpropService.Engine.Costs;
using BackpropService.Engine.Data;

namespace BackpropService.Engine.Evaluation;

/// <summary>Measures a trained model on a dataset: loss, and accuracy with a confusion matrix or regression errors.</summary>
public static class Evaluator
{
    private const int RowsPerPass = 256;

    /// <param name="cancellationToken">Checked between chunks of <see cref="RowsPerPass"/> rows.</param>
    /// <exception cref="ArgumentException">The dataset does not fit the model (features, outputs or task).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled before the pass ended.</exception>
    public static EvaluationReport Evaluate(TrainedModel model, Dataset data, CancellationToken cancellationToken = default)
    {
        if (data.Features != model.Inputs)
            throw new ArgumentException($"the dataset has {data.Features} features, the model takes {model.Inputs} inputs.", nameof(data));
        if (data.Outputs != model.Outputs)
            throw new ArgumentException($"the dataset has {data.Outputs} outputs, the model {model.Outputs}.", nameof(data));
        if (data.Task != model.Task)
            throw new ArgumentException($"the dataset is for {data.Task.ToCamelCase()}, the model for {model.Task.ToCamelCase()}.", nameof(data));
        if (data.ClassNames is { } dataClasses && model.ClassNames is { } modelClasses && !dataClasses.SequenceEqual(modelClasses))
            throw new ArgumentException(
                $"the dataset's classes ({string.Join(", ", dataClasses)}) are not the model's ({string.Join(", ", modelClasses)}), in the same order.", nameof(data));

        cancellationToken.ThrowIfCancellationRequested();
        Dataset normalized = model.Normalizer.Apply(data);
        NetworkWorkspace<float> workspace = model.Network.CreateWorkspace(Math.Min(RowsPerPass, data.Samples));
        var predictions = new float[data.Samples * data.Outputs];
        double lossSum = ForwardPass.Run(model.Network, Cost.For(model.Cost), normalized, workspace, predictions, cancellationToken);

        double loss = lossSum / data.Samples;
        return data.Task == TaskKind.Classification
            ? ClassificationReport(data, predictions, loss, model.ClassNames!)
            : RegressionReport(data, predictions, loss);
    }

    private static EvaluationReport ClassificationReport(Dataset data, float[] predictions, double loss, IReadOnlyList<string> classNames)
    {
        int classes = data.Outputs;
        int[][] confusion = Enumerable.Range(0, classes).Select(_ => new int[classes]).ToArray();
        int correct = 0;
        for (int s = 0; s < data.Samples; s++)
        {
            int actual = data.Labels![s];
            int predicted = TensorPrimitives.IndexOfMax<float>(predictions.AsSpan(s * classes, classes));
            confusion[actual][predicted]++;
            if (actual == predicted) correct++;
        }

        var perClass = new ClassMetrics[classes];
        for (int c = 0; c < classes; c++)
        {
            int truePositives = confusion[c][c];
            int support = confusion[c].Sum();
            int predictedAsC = confusion.Sum(row => row[c]);
            double precision = predictedAsC == 0 ? 0 : (double)truePositives / predictedAsC;
            double recall = support == 0 ? 0 : (double)truePositives / support;
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            perClass[c] = new ClassMetrics(classNames[c], precision, recall, f1, support);
        }

        return new EvaluationReport
        {
            Samples = data.Samples,
            Loss = loss,
            Accuracy = (double)correct / data.Samples,
            ConfusionMatrix = confusion,
            PerClass = perClass,
        };
    }

    private static EvaluationReport RegressionReport(Dataset data, float[] predictions, double loss)
    {
        int outputs = data.Outputs;
        var means = new double[outputs];
        for (int s = 0; s < data.Samples; s++)
            for (int o = 0; o < outputs; o++) means[o] += data.Targets[s * outputs + o];
        for (int o = 0; o < outputs; o++) means[o] /= data.Samples;

        double squaredErrors = 0, absoluteErrors = 0, totalVariation = 0;
        for (int i = 0; i < predictions.Length; i++)
        {
            double target = data.Targets[i];
            double error = predictions[i] - target;
            squaredErrors += error * error;
            absoluteErrors += Math.Abs(error);
            double deviation = target - means[i % outputs];
            totalVariation += deviation * deviation;
        }

        return new EvaluationReport
        {
            Samples = data.Samples,
            Loss = loss,
            Mse = squaredErrors / predictions.Length,
            Mae = absoluteErrors / predictions.Length,
            R2 = totalVariation == 0 ? null : 1 - squaredErrors / totalVariation,
        };
    }
}
