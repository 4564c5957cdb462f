using BackpropService.Engine.Activations;
using BackpropService.Engine.Costs;
using BackpropService.Engine.Data;
using BackpropService.Engine.Training;

namespace BackpropService.Engine.Tests;

/// <summary>The engine's rules for a network's shape and a training run, and the counts it sizes its buffers by.</summary>
public class NetworkShapeTests
{
    [Fact]
    public void Every_broken_rule_is_reported_with_the_field_it_concerns()
    {
        var shape = new NetworkShape(2, [new LayerSpec(0, ActivationKind.Relu), new LayerSpec(5, ActivationKind.Softmax), new LayerSpec(3, (ActivationKind)42)]);

        var violations = shape.Check(NetworkLimits.Engine);

        Assert.Equal(["layers[0].size", "layers[1].activation", "layers[2].activation"], violations.Select(v => v.Field));
    }

    [Fact]
    public void The_parameter_count_is_what_the_network_allocates()
    {
        LayerSpec[] layers = [new LayerSpec(4, ActivationKind.Relu), new LayerSpec(2, ActivationKind.Softmax)];

        // (3 + 1) · 4 + (4 + 1) · 2: weights and biases of each layer.
        Assert.Equal(26, new NetworkShape(3, layers).ParameterCount);
        Assert.Equal(26, new Network<float>(3, layers).ParameterCount);
    }

    [Fact]
    public void A_tighter_limit_applies_and_a_looser_one_is_lowered_to_the_engines_own()
    {
        var tight = new NetworkLimits { MaxLayerSize = 10, MaxParameters = 20 };
        var loose = new NetworkLimits { MaxLayerSize = int.MaxValue };

        Assert.Equal(["layers[0].size"], new NetworkShape(2, [new LayerSpec(11, ActivationKind.Relu)]).Check(tight).Select(v => v.Field));
        Assert.Equal(["layers"], new NetworkShape(2, [new LayerSpec(10, ActivationKind.Relu)]).Check(tight).Select(v => v.Field));
        Assert.Equal(["layers[0].size"], new NetworkShape(2, [new LayerSpec(NetworkLimits.Engine.MaxLayerSize + 1, ActivationKind.Relu)]).Check(loose).Select(v => v.Field));
    }

    [Fact]
    public void Training_options_report_every_field_they_break_at_once()
    {
        var options = new TrainingOptions
        {
            Layers = [new LayerSpec(8, ActivationKind.Softmax), new LayerSpec(4, ActivationKind.Softmax)],
            Cost = CostKind.CrossEntropy,
            LearningRate = 0,
            BatchSize = 0,
            Epochs = 10,
        };

        var fields = options.Check(new DataShape(Features: 2, Outputs: 3)).Select(v => v.Field);

        Assert.Equal(["layers[0].activation", "learningRate", "batchSize"], fields);
    }

    [Fact]
    public void The_footprint_counts_the_trainers_buffers_and_the_trainer_splits_as_it_says()
    {
        Dataset xor = SyntheticDatasets.Create("xor", 500);
        var options = new TrainingOptions
        {
            Layers = [new LayerSpec(100, ActivationKind.Tanh), new LayerSpec(2, ActivationKind.Softmax)],
            Cost = CostKind.CrossEntropy,
            BatchSize = 450,
            Epochs = 1,
        };

        var footprint = TrainingFootprint.Of(options, DataShape.Of(xor));
        var trainer = Trainer.Start(xor, options);

        // 50 held out; 450 rows × 102 neurons × 3 + 450 × (2 + 2) + 50 × 2.
        Assert.Equal(139_600, footprint.ActivationValues);
        Assert.Equal(trainer.Network.ParameterCount, footprint.Parameters);
        Assert.Equal(trainer.TrainingSamples, footprint.TrainingSamples);
        Assert.Equal(trainer.ValidationSamples, footprint.ValidationSamples);
        Assert.Equal("batchSize", Assert.Single(options.Check(DataShape.Of(xor), new TrainingLimits { MaxActivationValues = 100_000 })).Field);
    }
}
