using BackpropService.Contracts;

namespace BackpropService.Web.Tests.Infrastructure;

/// <summary>Job requests the browser tests submit through the public API.</summary>
public static class TestJobs
{
    /// <summary>Spirals with a wide layer and tiny batches over 5000 epochs: it runs until it is cancelled.</summary>
    public static SubmitJobRequest Slow(string name) => new()
    {
        Name = name,
        DatasetId = "spirals",
        Layers = [new LayerDefinition(256, Activation.Tanh), new LayerDefinition(2, Activation.Softmax)],
        Cost = Cost.CrossEntropy,
        Optimizer = Optimizer.Adam,
        LearningRate = 0.01,
        BatchSize = 2,
        Epochs = 5000,
    };

    /// <summary>A tiny XOR network: done in a moment once it runs.</summary>
    public static SubmitJobRequest Small(string name, int epochs = 5) => new()
    {
        Name = name,
        DatasetId = "xor",
        Layers = [new LayerDefinition(4, Activation.Tanh), new LayerDefinition(2, Activation.Softmax)],
        Epochs = epochs,
    };
}
