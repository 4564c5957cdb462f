using BackpropService.Contracts;

namespace BackpropService.Api.Validation;

/// <summary>
/// Reads one layer of a job request by its <c>type</c> (absent: dense): refuses the fields the type does not have
/// (<c>layers[1].kernel</c>: "a dense layer has no kernel"), asks for the ones it needs, and fills in the defaults
/// (<see cref="JobDefaults"/>: conv2d stride 1, padding 0, activation relu). Whether the values fit together and fit the
/// dataset is the engine's to say (<see cref="Engine.NetworkShape.Check"/>), once every layer has been read.
/// </summary>
public static class LayerRequestValidator
{
    /// <summary>The layer with every default filled in, or null with the reasons in <paramref name="errors"/>.</summary>
    /// <param name="index">The layer's position in <c>layers</c>, for the field names.</param>
    public static LayerShape? Validate(LayerDefinition? layer, int index, ValidationErrors errors)
    {
        string field = $"layers[{index}]";
        if (layer is null)
        {
            errors.Add(field, "The layer is missing: give { \"size\": n, \"activation\": \"...\" }, or a layer with a \"type\" "
                + $"({WireName.Accepted<LayerType>()}).");
            return null;
        }

        LayerType type = layer.Type ?? JobDefaults.LayerType;
        if (!Enum.IsDefined(type))
        {
            errors.Add($"{field}.type", $"Unknown layer type; use one of {WireName.Accepted<LayerType>()}.");
            return null;
        }
        bool refused = RefuseForeignFields(layer, type, field, errors);

        switch (type)
        {
            case LayerType.Dense:
                int? size = Required(layer.Size, $"{field}.size", "the number of neurons", errors);
                Activation? activation = Required(layer.Activation, $"{field}.activation", $"one of {WireName.Accepted<Activation>()}", errors);
                return refused || size is null || activation is null ? null : new LayerShape(size, activation);

            case LayerType.Conv2d:
                int? filters = Required(layer.Filters, $"{field}.filters", "the number of filters (output channels), e.g. 20", errors);
                int? kernel = Required(layer.Kernel, $"{field}.kernel", "the side of the square kernel, e.g. 5", errors);
                return refused || filters is null || kernel is null
                    ? null
                    : new LayerShape(null, layer.Activation ?? JobDefaults.ConvActivation)
                    {
                        Type = LayerType.Conv2d,
                        Filters = filters,
                        Kernel = kernel,
                        Stride = layer.Stride ?? JobDefaults.ConvStride,
                        Padding = layer.Padding ?? JobDefaults.ConvPadding,
                    };

            case LayerType.MaxPool:
                int? window = Required(layer.Size, $"{field}.size", "the side of the square window (also its stride), e.g. 2", errors);
                return refused || window is null ? null : new LayerShape(window, null) { Type = LayerType.MaxPool };

            default:
                double? rate = Required(layer.Rate, $"{field}.rate", "the fraction of values dropped while training, e.g. 0.5", errors);
                return refused || rate is null ? null : new LayerShape(null, null) { Type = LayerType.Dropout, Rate = rate };
        }
    }

    /// <summary>Adds an error for each field given that a layer of <paramref name="type"/> does not have; true if any.</summary>
    private static bool RefuseForeignFields(LayerDefinition layer, LayerType type, string field, ValidationErrors errors)
    {
        bool refused = false;
        void Refuse(bool given, string name, string? instead = null)
        {
            if (!given) return;
            refused = true;
            errors.Add($"{field}.{name}", $"A {WireName.Of(type)} layer has no {name}{instead}.");
        }

        bool dense = type == LayerType.Dense, conv = type == LayerType.Conv2d, pool = type == LayerType.MaxPool;
        Refuse(layer.Size is not null && !dense && !pool, "size", conv ? "; its output size follows from filters, kernel, stride and padding" : "");
        Refuse(layer.Activation is not null && !dense && !conv, "activation", pool ? "; a pool passes on the largest value of each window" : "");
        Refuse(layer.Filters is not null && !conv, "filters", dense ? "; use size for the number of neurons" : "");
        Refuse(layer.Kernel is not null && !conv, "kernel", pool ? "; use size for the side of the window" : "");
        Refuse(layer.Stride is not null && !conv, "stride", pool ? "; a pool's stride is its size" : "");
        Refuse(layer.Padding is not null && !conv, "padding");
        Refuse(layer.Rate is not null && type != LayerType.Dropout, "rate", "; use a dropout layer");
        return refused;
    }

    private static T? Required<T>(T? value, string field, string what, ValidationErrors errors) where T : struct
    {
        if (value is null) errors.Add(field, $"Required: {what}.");
        return value;
    }
}
