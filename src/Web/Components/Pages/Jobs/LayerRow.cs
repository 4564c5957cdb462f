using BackpropService.Contracts;

namespace BackpropService.Web.Components.Pages.Jobs;

/// <summary>
/// One hidden or output layer in the form. It keeps a value for every type's fields, so switching the type shows
/// that type's fields filled in (with a sensible default, or what was typed there before); only the chosen type's
/// fields go into the request.
/// </summary>
public sealed class LayerRow
{
    public LayerType Type { get; private set; } = LayerType.Dense;

    /// <summary>Dense: the number of neurons.</summary>
    public int? Size { get; set; } = 16;

    /// <summary>Dense and conv2d.</summary>
    public Activation Activation { get; set; } = Activation.Relu;

    public int? Filters { get; set; } = 16;
    public int? Kernel { get; set; } = 3;
    public int? Stride { get; set; } = 1;
    public int? Padding { get; set; } = 0;

    /// <summary>MaxPool: the side of the window (sent as <c>size</c>, kept apart from the dense size so each type keeps its own).</summary>
    public int? PoolSize { get; set; } = 2;

    public double? Rate { get; set; } = 0.5;

    public static LayerRow Dense(int? size, Activation activation) => new() { Size = size, Activation = activation };

    /// <summary>Switches the row to <paramref name="type"/>; its fields keep their values.</summary>
    public void ChangeType(LayerType type)
    {
        // Softmax is for an output layer of neurons; a convolution that inherits it from a dense row gets relu instead.
        if (type == LayerType.Conv2d && Activation == Activation.Softmax) Activation = Activation.Relu;
        Type = type;
    }

    /// <summary>The row as the API reads it: the type (left out for dense, the default) and that type's fields only.</summary>
    public LayerDefinition ToDefinition() => Type switch
    {
        LayerType.Conv2d => new LayerDefinition(null, Activation)
        {
            Type = LayerType.Conv2d, Filters = Filters, Kernel = Kernel, Stride = Stride, Padding = Padding,
        },
        LayerType.MaxPool => new LayerDefinition(PoolSize, null) { Type = LayerType.MaxPool },
        LayerType.Dropout => new LayerDefinition(null, null) { Type = LayerType.Dropout, Rate = Rate },
        _ => new LayerDefinition(Size, Activation),
    };

    /// <summary>The row for a layer of a request (a preset); fields the layer leaves out keep the row's defaults.</summary>
    public static LayerRow From(LayerDefinition layer)
    {
        var row = new LayerRow { Type = layer.Type ?? LayerType.Dense };
        if (row.Type == LayerType.MaxPool) row.PoolSize = layer.Size ?? row.PoolSize;
        else row.Size = layer.Size ?? row.Size;
        row.Activation = layer.Activation ?? row.Activation;
        row.Filters = layer.Filters ?? row.Filters;
        row.Kernel = layer.Kernel ?? row.Kernel;
        row.Stride = layer.Stride ?? row.Stride;
        row.Padding = layer.Padding ?? row.Padding;
        row.Rate = layer.Rate ?? row.Rate;
        return row;
    }
}
