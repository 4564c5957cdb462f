using System.Text.Json;
using BackpropService.Contracts;
using BackpropService.Contracts.Json;
using BackpropService.Web.Components.Shared;

namespace BackpropService.Web.Tests;

/// <summary>The dashboard spells enum values as the API does (no browser needed).</summary>
public sealed class FormatTests
{
    [Fact]
    public void Layers_read_with_the_activations_wire_names()
    {
        Assert.Equal("30 leakyRelu–10 softmax", Format.Layers([new LayerShape(30, Activation.LeakyRelu), new LayerShape(10, Activation.Softmax)]));
    }

    [Fact]
    public void Conv_pool_and_dropout_layers_read_with_their_own_fields()
    {
        Assert.Equal("conv2d 20×5×5 relu–maxPool 2–conv2d 8×3×3 stride 2 pad 1 tanh–dropout 0.25–100 relu", Format.Layers(
        [
            new LayerShape(null, Activation.Relu) { Type = LayerType.Conv2d, Filters = 20, Kernel = 5, Stride = 1, Padding = 0 },
            new LayerShape(2, null) { Type = LayerType.MaxPool },
            new LayerShape(null, Activation.Tanh) { Type = LayerType.Conv2d, Filters = 8, Kernel = 3, Stride = 2, Padding = 1 },
            new LayerShape(null, null) { Type = LayerType.Dropout, Rate = 0.25 },
            new LayerShape(100, Activation.Relu),
        ]));
    }

    [Fact]
    public void The_gradient_norms_are_named_after_the_layers_with_weights_and_their_place_in_the_network()
    {
        IReadOnlyList<LayerShape> w4 =
        [
            new LayerShape(null, Activation.Relu) { Type = LayerType.Conv2d, Filters = 20, Kernel = 5, Stride = 1, Padding = 0 },
            new LayerShape(2, null) { Type = LayerType.MaxPool },
            new LayerShape(null, Activation.Relu) { Type = LayerType.Conv2d, Filters = 40, Kernel = 5, Stride = 1, Padding = 0 },
            new LayerShape(2, null) { Type = LayerType.MaxPool },
            new LayerShape(null, null) { Type = LayerType.Dropout, Rate = 0.5 },
            new LayerShape(100, Activation.Relu),
            new LayerShape(10, Activation.Softmax),
        ];

        Assert.Equal(["layer 1 conv2d 20×5×5", "layer 3 conv2d 40×5×5", "layer 6 dense 100", "layer 7 dense 10"], Format.WeightedLayers(w4));
        var model = new ModelInfo("m", "digits", 1, null, null, LearningTask.Classification, 784, 10, null, w4, null, DateTimeOffset.UnixEpoch,
            InputShape: [1, 28, 28]);
        Assert.Equal("1×28×28–conv2d 20×5×5–maxPool 2–conv2d 40×5×5–maxPool 2–dropout 0.5–100–10", Format.Architecture(model));
        Assert.Equal("784–100–10", Format.Architecture(model with { Layers = w4.TakeLast(2).ToList(), InputShape = null }));
    }

    [Fact]
    public void A_dataset_shape_reads_as_channels_by_height_by_width_and_a_flat_one_as_nothing()
    {
        Assert.Equal("1×28×28", Format.Shape([1, 28, 28]));
        Assert.Null(Format.Shape(null));
    }

    [Fact]
    public void Every_status_reads_as_the_api_writes_it()
    {
        foreach (JobStatus status in Enum.GetValues<JobStatus>())
            Assert.Equal(JsonSerializer.Serialize(status, ContractJson.Options), JsonSerializer.Serialize(Format.Status(status)));
    }
}
