using BackpropService.Engine.Activations;
using BackpropService.Engine.Costs;
using BackpropService.Engine.Training;

namespace BackpropService.Engine.Tests;

/// <summary>Options that cannot work are refused with the JSON field and the reason.</summary>
public class TrainingOptionsTests
{
    private static readonly TrainingOptions Valid = new()
    {
        Layers = [new LayerSpec(8, ActivationKind.Sigmoid), new LayerSpec(3, ActivationKind.Softmax)],
        Cost = CostKind.CrossEntropy,
        Epochs = 10,
    };

    public static TheoryData<string, TrainingOptions, string, string> Invalid => new()
    {
        { "no layers", Valid with { Layers = [] }, "layers", "at least one layer" },
        { "zero-size layer", Valid with { Layers = [new LayerSpec(0, ActivationKind.Relu), new LayerSpec(3, ActivationKind.Softmax)] }, "layers[0].size", "between 1 and" },
        { "softmax hidden", Valid with { Layers = [new LayerSpec(8, ActivationKind.Softmax), new LayerSpec(3, ActivationKind.Softmax)] }, "layers[0].activation", "output (last) layer" },
        { "wrong output size", Valid with { Layers = [new LayerSpec(8, ActivationKind.Relu), new LayerSpec(4, ActivationKind.Softmax)] }, "layers[1].size", "must have 3 neurons" },
        { "cross-entropy after relu", Valid with { Layers = [new LayerSpec(8, ActivationKind.Relu), new LayerSpec(3, ActivationKind.Relu)] }, "cost", "sigmoid or softmax" },
        { "unknown activation", Valid with { Layers = [new LayerSpec(8, (ActivationKind)42), new LayerSpec(3, ActivationKind.Softmax)] }, "layers[0].activation", "identity, sigmoid, tanh, relu, leakyRelu or softmax" },
        { "zero learning rate", Valid with { LearningRate = 0 }, "learningRate", "greater than 0" },
        { "NaN learning rate", Valid with { LearningRate = float.NaN }, "learningRate", "greater than 0" },
        { "momentum 1", Valid with { Momentum = 1 }, "momentum", "[0, 1)" },
        { "batch 0", Valid with { BatchSize = 0 }, "batchSize", "between 1 and" },
        { "epochs 0", Valid with { Epochs = 0 }, "epochs", "between 1 and" },
        { "negative l2", Valid with { L2 = -1 }, "l2", "≥ 0" },
        { "split 1", Valid with { ValidationSplit = 1 }, "validationSplit", "[0, 1)" },
        { "patience without validation", Valid with { ValidationSplit = 0, EarlyStoppingPatience = 3 }, "earlyStoppingPatience", "validationSplit" },
        { "schedule factor", Valid with { Schedule = new LearningRateSchedule { Kind = LearningRateScheduleKind.StepDecay, Factor = 2 } }, "schedule.factor", "(0, 1)" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Invalid_options_name_the_field_and_the_reason(string because, TrainingOptions options, string field, string reason)
    {
        var error = Assert.Throws<TrainingOptionsException>(() => options.Validate(inputs: 2, outputs: 3));
        Assert.True(field == error.ParamName, $"{because}: expected field {field}, got {error.ParamName}");
        Assert.Contains(reason, error.Reason);
    }

    [Fact]
    public void Valid_options_pass()
    {
        Valid.Validate(inputs: 2, outputs: 3);
    }
}
