using BackpropService.Engine.Activations;
using BackpropService.Engine.Costs;
using BackpropService.Engine.Data;
using BackpropService.Engine.Evaluation;
using BackpropService.Engine.Initialization;
using BackpropService.Engine.Optimizers;
using BackpropService.Engine.Training;

namespace BackpropService.Engine.Tests;

/// <summary>The engine learns: XOR, two spirals, and Nielsen's chapter-1 network on MNIST.</summary>
public class LearningTests
{
    [Fact]
    public void Xor_is_learned_perfectly()
    {
        Dataset xor = SyntheticDatasets.Create("xor", seed: 1);
        Trainer trainer = Trainer.Start(xor, new TrainingOptions
        {
            Layers = [new LayerSpec(8, ActivationKind.Tanh), new LayerSpec(2, ActivationKind.Softmax)],
            Cost = CostKind.CrossEntropy,
            Optimizer = OptimizerKind.Adam,
            LearningRate = 0.05f,
            BatchSize = 16,
            Epochs = 100,
            ValidationSplit = 0,
            Initialization = InitializationKind.Xavier,
            Seed = 3,
        });
        trainer.Train();

        EvaluationReport report = Evaluator.Evaluate(trainer.CreateModel(), xor);
        Assert.Equal(1.0, report.Accuracy);
    }

    [Fact]
    public void Spirals_reach_95_percent_training_accuracy_with_a_small_mlp()
    {
        Dataset spirals = SyntheticDatasets.Create("spirals", seed: 2);
        Trainer trainer = Trainer.Start(spirals, new TrainingOptions
        {
            Layers = [new LayerSpec(32, ActivationKind.Tanh), new LayerSpec(32, ActivationKind.Tanh), new LayerSpec(2, ActivationKind.Softmax)],
            Cost = CostKind.CrossEntropy,
            Optimizer = OptimizerKind.Adam,
            LearningRate = 0.03f,
            BatchSize = 16,
            Epochs = 200,
            ValidationSplit = 0,
            Initialization = InitializationKind.Xavier,
            Seed = 5,
        });
        trainer.Train();

        Assert.True(trainer.History[^1].TrainAccuracy >= 0.95, $"training accuracy {trainer.History[^1].TrainAccuracy:P1}");
        Assert.True(Evaluator.Evaluate(trainer.CreateModel(), spirals).Accuracy >= 0.95);
    }

    [Fact]
    public void Nielsens_chapter_one_network_reaches_90_percent_on_mnist_within_10_epochs_median_of_three_seeds()
    {
        var accuracies = new List<double>();
        foreach (ulong seed in new ulong[] { 1, 2, 3 })
        {
            Trainer trainer = Trainer.Start(Mnist.Train, new TrainingOptions
            {
                Layers = [new LayerSpec(30, ActivationKind.Sigmoid), new LayerSpec(10, ActivationKind.Sigmoid)],
                Cost = CostKind.Quadratic,
                Optimizer = OptimizerKind.Sgd,
                LearningRate = 3.0f,
                BatchSize = 10,
                Epochs = 10,
                Initialization = InitializationKind.Normal,
                ValidationSplit = 0,
                Seed = seed,
            });
            trainer.Train();
            accuracies.Add(Evaluator.Evaluate(trainer.CreateModel(), Mnist.Test).Accuracy!.Value);
        }

        accuracies.Sort();
        Assert.True(accuracies[1] >= 0.90, $"test accuracies {string.Join(", ", accuracies.Select(a => a.ToString("P1")))}");
    }

    [Fact]
    public void Sine_regression_fits_closely()
    {
        Dataset sine = SyntheticDatasets.Create("sine", seed: 4);
        Trainer trainer = Trainer.Start(sine, new TrainingOptions
        {
            Layers = [new LayerSpec(16, ActivationKind.Tanh), new LayerSpec(1, ActivationKind.Identity)],
            Optimizer = OptimizerKind.Adam,
            LearningRate = 0.01f,
            BatchSize = 16,
            Epochs = 200,
            Initialization = InitializationKind.Xavier,
            Seed = 6,
        });
        trainer.Train();

        EvaluationReport report = Evaluator.Evaluate(trainer.CreateModel(), sine);
        Assert.Null(report.Accuracy);
        Assert.True(report.R2 > 0.9, $"R² {report.R2}");
    }
}
