using BackpropService.Engine.Activations;
using BackpropService.Engine.Layers;

namespace BackpropService.Engine.Tests.Layers;

/// <summary>The shape walk through conv2d, maxPool and dropout layers, and every rule of theirs with its field and reason.</summary>
public class ConvolutionalShapeTests
{
    private static readonly TensorShape Digit = new(1, 28, 28);

    /// <summary>Nielsen's chapter-6 network (the W4): two conv + pool stages, then dense.</summary>
    private static NetworkShape W4 => new(784,
    [
        LayerSpec.Conv2d(20, 5, ActivationKind.Relu), LayerSpec.MaxPool(2),
        LayerSpec.Conv2d(40, 5, ActivationKind.Relu), LayerSpec.MaxPool(2),
        LayerSpec.Dropout(0.5), LayerSpec.Dense(100, ActivationKind.Relu), LayerSpec.Dense(10, ActivationKind.Softmax),
    ]) { InputShape = Digit };

    [Fact]
    public void The_shape_walk_follows_each_layer_and_the_network_places_its_parameters_by_it()
    {
        NetworkShape shape = W4;

        Assert.Empty(shape.Check(NetworkLimits.Engine));
        Assert.Equal(
            [new(20, 24, 24), new(20, 12, 12), new(40, 8, 8), new(40, 4, 4), new(40, 4, 4), TensorShape.Flat(100), TensorShape.Flat(10)],
            shape.OutputShapes());
        // (1·25 + 1)·20 + (20·25 + 1)·40 + (640 + 1)·100 + (100 + 1)·10
        Assert.Equal(520 + 20_040 + 64_100 + 1_010, shape.ParameterCount);

        var network = new Network<float>(shape);
        Assert.Equal(shape.ParameterCount, network.ParameterCount);
        Assert.Equal(new[] { 0, 520, 520, 20_560, 20_560, 20_560, 84_660 }, network.Layers.Select(l => l.WeightOffset));
        Assert.Equal(new[] { 500, 0, 20_000, 0, 0, 64_000, 1_000 }, network.Layers.Select(l => l.WeightCount));
        Assert.Equal(new[] { 20, 0, 40, 0, 0, 100, 10 }, network.Layers.Select(l => l.BiasCount));
        Assert.Equal(new[] { 25, 500 }, network.Layers.OfType<Conv2dLayer>().Select(l => l.FanIn));
        Assert.Equal(640, network.Layers[5].Inputs); // the dense layer reads the 40×4×4 values as one vector
        Assert.Equal((shape.Inputs, shape.InputShape), (network.Shape.Inputs, network.Shape.InputShape));
        Assert.Equal(shape.Layers, network.Specs);
    }

    [Fact]
    public void Stride_and_padding_set_the_output_size_and_a_pool_drops_a_remainder()
    {
        var shape = new NetworkShape(2 * 7 * 9,
        [
            LayerSpec.Conv2d(3, 3, ActivationKind.Tanh, stride: 2, padding: 1), // ⌊(7 + 2 − 3)/2⌋ + 1 = 4, ⌊(9 + 2 − 3)/2⌋ + 1 = 5
            LayerSpec.MaxPool(2),                                                // 4/2 = 2, ⌊5/2⌋ = 2
            LayerSpec.Dense(2, ActivationKind.Sigmoid),
        ]) { InputShape = new TensorShape(2, 7, 9) };

        Assert.Empty(shape.Check(NetworkLimits.Engine));
        Assert.Equal([new(3, 4, 5), new(3, 2, 2), TensorShape.Flat(2)], shape.OutputShapes());
    }

    public static TheoryData<string, LayerSpec[], TensorShape?, string, string> BrokenRules() => new()
    {
        { "no filters", [LayerSpec.Conv2d(0, 3, ActivationKind.Relu), LayerSpec.Dense(2, ActivationKind.Identity)], Digit,
            "layers[0].filters", "the number of filters must be between 1 and" },
        { "no kernel", [LayerSpec.Conv2d(4, 0, ActivationKind.Relu), LayerSpec.Dense(2, ActivationKind.Identity)], Digit,
            "layers[0].kernel", "the kernel size must be at least 1, got 0" },
        { "no stride", [LayerSpec.Conv2d(4, 3, ActivationKind.Relu, stride: 0), LayerSpec.Dense(2, ActivationKind.Identity)], Digit,
            "layers[0].stride", "the stride must be at least 1, got 0" },
        { "padding as wide as the kernel", [LayerSpec.Conv2d(4, 3, ActivationKind.Relu, padding: 3), LayerSpec.Dense(2, ActivationKind.Identity)], Digit,
            "layers[0].padding", "the padding must be between 0 and the kernel size − 1 (2), got 3" },
        { "negative padding", [LayerSpec.Conv2d(4, 3, ActivationKind.Relu, padding: -1), LayerSpec.Dense(2, ActivationKind.Identity)], Digit,
            "layers[0].padding", "got -1" },
        { "softmax on a conv layer", [LayerSpec.Conv2d(4, 3, ActivationKind.Softmax), LayerSpec.Dense(2, ActivationKind.Identity)], Digit,
            "layers[0].activation", "softmax is only allowed on the output (last) layer" },
        { "conv on a flat input", [LayerSpec.Conv2d(4, 3, ActivationKind.Relu), LayerSpec.Dense(2, ActivationKind.Identity)], null,
            "layers[0]", "a conv2d layer needs an image-shaped input (channels × height × width); it gets a flat vector of 784 values" },
        { "conv after dense", [LayerSpec.Dense(16, ActivationKind.Relu), LayerSpec.Conv2d(4, 3, ActivationKind.Relu), LayerSpec.Dense(2, ActivationKind.Identity)], Digit,
            "layers[1]", "it gets a flat vector of 16 values" },
        { "kernel larger than the input", [LayerSpec.MaxPool(7), LayerSpec.Conv2d(4, 5, ActivationKind.Relu), LayerSpec.Dense(2, ActivationKind.Identity)], Digit,
            "layers[1]", "a 5x5 kernel does not fit a 4x4 input" },
        { "kernel larger than the padded input", [LayerSpec.MaxPool(7), LayerSpec.Conv2d(4, 7, ActivationKind.Relu, padding: 1), LayerSpec.Dense(2, ActivationKind.Identity)], Digit,
            "layers[1]", "a 7x7 kernel does not fit a 4x4 input padded by 1" },
        { "no pool size", [LayerSpec.MaxPool(0), LayerSpec.Dense(2, ActivationKind.Identity)], Digit,
            "layers[0].size", "the pool size must be at least 1, got 0" },
        { "pool on a flat input", [LayerSpec.Dense(16, ActivationKind.Relu), LayerSpec.MaxPool(2), LayerSpec.Dense(2, ActivationKind.Identity)], Digit,
            "layers[1]", "a maxPool layer needs an image-shaped input (channels × height × width); it gets a flat vector of 16 values" },
        { "pool larger than the input", [LayerSpec.Conv2d(2, 26, ActivationKind.Relu), LayerSpec.MaxPool(4), LayerSpec.Dense(2, ActivationKind.Identity)], Digit,
            "layers[1]", "a 4x4 pool does not fit a 3x3 input" },
        { "dropout rate 1", [LayerSpec.Dropout(1), LayerSpec.Dense(2, ActivationKind.Identity)], Digit,
            "layers[0].rate", "the dropout rate must be at least 0 and below 1, got 1" },
        { "negative dropout rate", [LayerSpec.Dropout(-0.1), LayerSpec.Dense(2, ActivationKind.Identity)], Digit,
            "layers[0].rate", "got -0.1" },
        { "dropout rate NaN", [LayerSpec.Dropout(double.NaN), LayerSpec.Dense(2, ActivationKind.Identity)], Digit,
            "layers[0].rate", "got NaN" },
        { "a pool as the output layer", [LayerSpec.Conv2d(4, 3, ActivationKind.Relu), LayerSpec.MaxPool(2)], Digit,
            "layers[1]", "the output (last) layer must be a dense layer, with one neuron per output" },
        { "an output that would not fit", [LayerSpec.Conv2d(100_000, 3, ActivationKind.Relu), LayerSpec.Dense(2, ActivationKind.Identity)], Digit,
            "layers[0]", "the layer's output would hold 67,600,000 values (100000x26x26); the limit is" },
        { "an unknown layer type", [new LayerSpec(3, ActivationKind.Relu) { Kind = (LayerKind)9 }, LayerSpec.Dense(2, ActivationKind.Identity)], Digit,
            "layers[0].type", "unknown layer type; use" },
        { "a shape that does not hold the inputs", [LayerSpec.Dense(2, ActivationKind.Identity)], new TensorShape(1, 27, 28),
            "inputs", "the input shape 1x27x28 does not hold the input's 784 values" },
    };

    [Theory]
    [MemberData(nameof(BrokenRules))]
    public void Each_broken_rule_names_its_field_and_says_what_does_not_fit(string rule, LayerSpec[] layers, TensorShape? input, string field, string reason)
    {
        var shape = new NetworkShape(784, layers) { InputShape = input };

        RuleViolation violation = Assert.Single(shape.Check(NetworkLimits.Engine));

        Assert.True(field == violation.Field, $"{rule}: expected field {field}, got {violation.Field}");
        Assert.Contains(reason, violation.Reason);
        var error = Assert.Throws<ArgumentException>(() => new Network<float>(shape));
        Assert.Contains($"{field}: ", error.Message);
    }

    [Fact]
    public void After_a_layer_that_does_not_fit_the_later_layers_are_checked_for_their_own_values_only()
    {
        var shape = new NetworkShape(784,
        [
            LayerSpec.Conv2d(4, 30, ActivationKind.Relu), // does not fit 28×28: the shapes after it are unknown
            LayerSpec.MaxPool(50),                        // would not fit either, but its input is unknown
            LayerSpec.Dropout(2),                         // its own value is still wrong
            LayerSpec.Dense(2, ActivationKind.Identity),
        ]) { InputShape = Digit };

        Assert.Equal(["layers[0]", "layers[2].rate"], shape.Check(NetworkLimits.Engine).Select(v => v.Field));
    }
}
