using BackpropService.Engine;
using BackpropService.Engine.Activations;
using BackpropService.Engine.Costs;
using BackpropService.Engine.Data;
using BackpropService.Engine.Evaluation;
using BackpropService.Engine.Training;

namespace BackpropService.Engine.Tests;

/// <summary>The engine-as-a-library example in README.md, kept compiling and working.</summary>
public class ReadmeExampleTests
{
    [Fact]
    public void The_readme_example_trains_spirals()
    {
        // --- README example starts ---
        Dataset data = SyntheticDatasets.Create("spirals", samples: 500, seed: 1);
        var options = new TrainingOptions
        {
            Layers = [new LayerSpec(32, ActivationKind.Tanh), new LayerSpec(32, ActivationKind.Tanh), new LayerSpec(2, ActivationKind.Softmax)],
            Cost = CostKind.CrossEntropy, Optimizer = Optimizers.OptimizerKind.Adam, LearningRate = 0.03f,
            BatchSize = 16, Epochs = 200, ValidationSplit = 0.1, Seed = 42,
        };
        Trainer trainer = Trainer.Start(data, options);
        trainer.Train(epoch => Console.WriteLine($"epoch {epoch.Epoch}: loss {epoch.TrainLoss:F4}, validation accuracy {epoch.ValidationAccuracy:P1}"));
        TrainedModel model = trainer.CreateModel();
        Console.WriteLine($"accuracy {Evaluator.Evaluate(model, data).Accuracy:P1}");
        File.WriteAllBytes("spirals.bpmodel", model.ToBytes());
        // --- README example ends ---

        Assert.True(Evaluator.Evaluate(model, data).Accuracy > 0.9);
        Assert.Equal(model.Network.Parameters, TrainedModel.FromBytes(File.ReadAllBytes("spirals.bpmodel")).Network.Parameters);
        File.Delete("spirals.bpmodel");
    }
}
