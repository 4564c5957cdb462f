using BackpropService.Engine.Activations;
using BackpropService.Engine.Costs;
using BackpropService.Engine.Data;
using BackpropService.Engine.Evaluation;

namespace BackpropService.Engine.Tests;

/// <summary>Evaluation metrics on a hand-built model whose predictions are known.</summary>
public class EvaluatorTests
{
    /// <summary>One input x, two classes: output = softmax([x, −x]), so x &gt; 0 predicts class "a".</summary>
    private static TrainedModel SignClassifier()
    {
        var network = new Network<float>(1, [new LayerSpec(2, ActivationKind.Softmax)]);
        network.Weights(0)[0] = 1;
        network.Weights(0)[1] = -1;
        return new TrainedModel(network, Normalizer.Fit(NormalizationKind.None, Data([1f], [0])), TaskKind.Classification, ["a", "b"], CostKind.CrossEntropy, null);
    }

    private static Dataset Data(float[] inputs, int[] labels) => Dataset.ForClassification("d", 1, inputs, labels, ["a", "b"]);

    [Fact]
    public void A_cancelled_evaluation_stops_with_OperationCanceledException_instead_of_running_the_dataset()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Dataset data = Data([.. Enumerable.Range(0, 1000).Select(i => i - 500f)], [.. Enumerable.Range(0, 1000).Select(i => i < 500 ? 1 : 0)]);

        Assert.ThrowsAny<OperationCanceledException>(() => Evaluator.Evaluate(SignClassifier(), data, cancelled.Token));
        Assert.Equal(1.0, Evaluator.Evaluate(SignClassifier(), data, CancellationToken.None).Accuracy!.Value, 10);
    }

    [Fact]
    public void Classification_gives_accuracy_confusion_matrix_and_per_class_scores()
    {
        // Predictions: a, a, b, b, a. Labels: a, a, a, b, b.
        Dataset data = Data([1f, 2f, -1f, -2f, 3f], [0, 0, 0, 1, 1]);
        EvaluationReport report = Evaluator.Evaluate(SignClassifier(), data);

        Assert.Equal(5, report.Samples);
        Assert.Equal(0.6, report.Accuracy!.Value, 10);
        Assert.Equal([[2, 1], [1, 1]], report.ConfusionMatrix);
        ClassMetrics a = report.PerClass![0];
        Assert.Equal(("a", 2.0 / 3, 2.0 / 3, 3), (a.Label, a.Precision, a.Recall, a.Support));
        ClassMetrics b = report.PerClass[1];
        Assert.Equal(0.5, b.Precision, 10);
        Assert.Equal(0.5, b.Recall, 10);
        Assert.Equal(0.5, b.F1, 10);
        Assert.True(report.Loss > 0);
        Assert.Null(report.Mse);
    }

    [Fact]
    public void Regression_gives_mse_mae_and_r2()
    {
        var network = new Network<float>(1, [new LayerSpec(1, ActivationKind.Identity)]);
        network.Weights(0)[0] = 1; // predicts y = x
        var data = new Dataset("r", TaskKind.Regression, 1, 1, [1f, 2f, 3f], [1f, 2f, 5f]);
        var model = new TrainedModel(network, Normalizer.Fit(NormalizationKind.None, data), TaskKind.Regression, null, CostKind.Quadratic, null);

        EvaluationReport report = Evaluator.Evaluate(model, data);
        Assert.Equal(4.0 / 3, report.Mse!.Value, 6);
        Assert.Equal(2.0 / 3, report.Mae!.Value, 6);
        // mean y = 8/3, SS_tot = 25/9 + 4/9 + 49/9 = 78/9, SS_res = 4
        Assert.Equal(1 - 4 / (78.0 / 9), report.R2!.Value, 6);
        Assert.Equal(2.0 / 3, report.Loss, 6); // ½ · 4 / 3
        Assert.Null(report.Accuracy);
    }

    [Fact]
    public void Data_of_the_wrong_width_is_refused_with_both_widths()
    {
        var wide = new Dataset("w", TaskKind.Classification, 2, 2, [1f, 2f], [1f, 0f], [0], ["a", "b"]);
        var error = Assert.Throws<ArgumentException>(() => Evaluator.Evaluate(SignClassifier(), wide));
        Assert.Contains("2 features", error.Message);
        Assert.Contains("1 inputs", error.Message);
    }

    [Fact]
    public void Data_whose_classes_differ_from_the_models_is_refused_naming_both()
    {
        Dataset swapped = Dataset.ForClassification("d", 1, [1f], [0], ["b", "a"]);
        var error = Assert.Throws<ArgumentException>(() => Evaluator.Evaluate(SignClassifier(), swapped));
        Assert.Contains("(b, a)", error.Message);
        Assert.Contains("(a, b)", error.Message);
    }
}
