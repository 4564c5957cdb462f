using BackpropService.Engine.Activations;

namespace BackpropService.Engine;

/// <summary>
/// A network's shape without its weights: the input size and the layers. It knows the rules a shape must follow
/// and the counts that decide what the network costs, so callers check untrusted sizes here before allocating.
/// </summary>
public sealed record NetworkShape(int Inputs, IReadOnlyList<LayerSpec> Layers)
{
    /// <summary>Weights and biases: Σ (n_in + 1) · n_out over the layers (Wˡ is n_out × n_in, bˡ has n_out).</summary>
    public long ParameterCount
    {
        get
        {
            long count = 0;
            int previous = Inputs;
            foreach (LayerSpec layer in Layers)
            {
                count += ((long)previous + 1) * layer.Size;
                previous = layer.Size;
            }
            return count;
        }
    }

    /// <summary>Neurons in all layers (the input excluded): the width of one sample's z, a and δ together.</summary>
    public long NeuronCount => Layers.Sum(layer => (long)layer.Size);

    /// <summary>Every rule this shape breaks under <paramref name="limits"/> (never looser than the engine's own).</summary>
    /// <param name="inputsField">The field the input size comes from, as the caller names it (<c>input</c>, a dataset).</param>
    public IReadOnlyList<RuleViolation> Check(NetworkLimits limits, string inputsField = "inputs")
    {
        ArgumentNullException.ThrowIfNull(limits);
        limits = limits.WithinEngine();
        var violations = new List<RuleViolation>();
        if (Inputs < 1 || Inputs > limits.MaxLayerSize)
            violations.Add(new(inputsField, $"the network's input must have 1 to {limits.MaxLayerSize} values, got {Inputs}"));

        if (Layers is null || Layers.Count == 0)
        {
            violations.Add(new("layers", "give at least one layer (the output layer)"));
            return violations;
        }
        if (Layers.Count > limits.MaxLayers)
        {
            violations.Add(new("layers", $"at most {limits.MaxLayers} layers are allowed, got {Layers.Count}"));
            return violations;
        }
        for (int l = 0; l < Layers.Count; l++)
        {
            LayerSpec layer = Layers[l];
            if (layer is null)
            {
                violations.Add(new($"layers[{l}]", "layer is missing"));
                continue;
            }
            if (layer.Size < 1 || layer.Size > limits.MaxLayerSize)
                violations.Add(new($"layers[{l}].size", $"the size must be between 1 and {limits.MaxLayerSize}, got {layer.Size}"));
            if (!Enum.IsDefined(layer.Activation))
                violations.Add(new($"layers[{l}].activation", $"unknown activation; use {EnumNames.Accepted<ActivationKind>()}"));
            else if (layer.Activation == ActivationKind.Softmax && l != Layers.Count - 1)
                violations.Add(new($"layers[{l}].activation", "softmax is only allowed on the output (last) layer"));
        }

        // The count means something only for a shape whose sizes are all in range.
        if (violations.Count == 0 && ParameterCount is var parameters && parameters > limits.MaxParameters)
            violations.Add(new("layers",
                $"the network would have {parameters:N0} weights and biases; the limit is {limits.MaxParameters:N0}. Use fewer or smaller layers"));
        return violations;
    }
}
