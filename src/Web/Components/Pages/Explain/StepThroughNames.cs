using BackpropService.Contracts;

namespace BackpropService.Web.Components.Pages.Explain;

/// <summary>
/// How the step-through names neurons, weights and the equation behind each number, the same in the diagram, the
/// tables and the details panel. Weights are numbered w1, w2, … row by row, layer by layer, as in Mazur's example.
/// </summary>
public static class StepThroughNames
{
    public const string Forward = "z = w·a + b";
    public const string Activation = "a = σ(z)";
    public const string OutputError = "BP1";
    public const string HiddenError = "BP2";
    public const string BiasGradient = "BP3";
    public const string WeightGradient = "BP4";

    /// <summary>x1, x2 for the inputs; o1, o2 for the outputs; h1, h2 for a single hidden layer, h1.1, h2.1 (layer.neuron) for several.</summary>
    public static string Neuron(StepThroughNetwork network, int column, int neuron)
    {
        if (column == 0) return $"x{neuron + 1}";
        if (column == network.Layers.Count) return $"o{neuron + 1}";
        return network.Layers.Count == 2 ? $"h{neuron + 1}" : $"h{column}.{neuron + 1}";
    }

    /// <summary>The running number of w_jk of layer <paramref name="layer"/> (1 for the first weight of the first layer).</summary>
    public static int WeightNumber(StepThroughNetwork network, int layer, int to, int from) =>
        1 + network.Layers.Take(layer).Sum(l => l.Size * l.Inputs) + to * network.Layers[layer].Inputs + from;

    /// <summary>The equation that gives δ of a layer: BP1 for the output layer, BP2 for the others.</summary>
    public static string ErrorEquation(StepThroughNetwork network, int layer) => layer == network.Layers.Count - 1 ? OutputError : HiddenError;

    /// <summary>BP1 as it reads for this cost and output activation.</summary>
    public static string OutputErrorFormula(Cost cost, Contracts.Activation output) => (cost, output) switch
    {
        (Cost.CrossEntropy, Contracts.Activation.Sigmoid or Contracts.Activation.Softmax) => "δᴸ = aᴸ − y (cross-entropy: σ′ cancels)",
        (Cost.Quadratic, Contracts.Activation.Softmax) => "δᴸ = J_softmax(zᴸ)ᵀ (aᴸ − y)",
        (Cost.Quadratic, _) => "δᴸ = (aᴸ − y) ⊙ σ′(zᴸ)",
        _ => "δᴸ = ∇ₐC ⊙ σ′(zᴸ)",
    };

    public const string HiddenErrorFormula = "δˡ = ((Wˡ⁺¹)ᵀ δˡ⁺¹) ⊙ σ′(zˡ)";
    public const string BiasGradientFormula = "∂C/∂bˡⱼ = δˡⱼ";
    public const string WeightGradientFormula = "∂C/∂wˡⱼₖ = aˡ⁻¹ₖ δˡⱼ";

    /// <summary>The cost function as a formula (cross-entropy after a softmax is the log-likelihood).</summary>
    public static string CostFormula(Cost cost, Contracts.Activation output) => (cost, output) switch
    {
        (Cost.Quadratic, _) => "C = ½ Σⱼ (aⱼ − yⱼ)²",
        (_, Contracts.Activation.Softmax) => "C = −Σⱼ yⱼ ln aⱼ",
        _ => "C = −Σⱼ [yⱼ ln aⱼ + (1 − yⱼ) ln(1 − aⱼ)]",
    };
}
