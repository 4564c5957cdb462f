using BackpropService.Contracts;
using BackpropService.Web.Components.Pages.Jobs;

namespace BackpropService.Web.Tests;

/// <summary>What the "New job" form sends for its layer rows (no browser needed).</summary>
public sealed class JobFormTests
{
    [Fact]
    public void The_convolutional_preset_goes_through_the_form_as_the_same_layers_with_strides_and_paddings_written_out()
    {
        var form = JobForm.From(JobPresets.MnistConvolutional.Request);

        var layers = form.ToRequest().Layers!;

        LayerDefinition Conv(int filters) =>
            new(null, Activation.Relu) { Type = LayerType.Conv2d, Filters = filters, Kernel = 5, Stride = 1, Padding = 0 };
        LayerDefinition Pool() => new(2, null) { Type = LayerType.MaxPool };
        Assert.Equal(
            [Conv(20), Pool(), Conv(40), Pool(), new LayerDefinition(100, Activation.Relu), new LayerDefinition(10, Activation.Softmax)],
            layers);
    }

    [Fact]
    public void A_row_sends_only_the_fields_of_its_type_and_keeps_the_others_for_when_it_switches_back()
    {
        var row = LayerRow.Dense(64, Activation.Tanh);

        row.ChangeType(LayerType.Dropout);
        Assert.Equal(new LayerDefinition(null, null) { Type = LayerType.Dropout, Rate = 0.5 }, row.ToDefinition());

        row.ChangeType(LayerType.MaxPool);
        Assert.Equal(new LayerDefinition(2, null) { Type = LayerType.MaxPool }, row.ToDefinition());

        row.ChangeType(LayerType.Conv2d);
        Assert.Equal(new LayerDefinition(null, Activation.Tanh) { Type = LayerType.Conv2d, Filters = 16, Kernel = 3, Stride = 1, Padding = 0 },
            row.ToDefinition());

        // Dense, the default type, is sent as before: size and activation only.
        row.ChangeType(LayerType.Dense);
        Assert.Equal(new LayerDefinition(64, Activation.Tanh), row.ToDefinition());
    }

    [Fact]
    public void A_softmax_row_turned_into_a_convolution_gets_relu()
    {
        var row = LayerRow.Dense(10, Activation.Softmax);

        row.ChangeType(LayerType.Conv2d);

        Assert.Equal(Activation.Relu, row.ToDefinition().Activation);
    }
}
