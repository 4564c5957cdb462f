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
