using BackpropService.Contracts;

namespace BackpropService.Api.Tests.Infrastructure;

/// <summary>A job that trains in well under a second: 2-8-2 tanh/softmax on the built-in xor set.</summary>
public static class XorJobs
{
    public static SubmitJobRequest Request(string name, int epochs) => new()
    {
        Name = name,
        DatasetId = "xor",
        Layers = [new LayerDefinition(8, Activation.Tanh), new LayerDefinition(2, Activation.Softmax)],
        Cost = Cost.CrossEntropy,
        Optimizer = Optimizer.Adam,
        LearningRate = 0.05,
        Epochs = epochs,
        Seed = 1,
    };
}
