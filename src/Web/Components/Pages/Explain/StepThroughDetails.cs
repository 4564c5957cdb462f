using BackpropService.Contracts;
using BackpropService.Web.Components.Shared;
using static BackpropService.Web.Components.Pages.Explain.StepThroughNames;

namespace BackpropService.Web.Components.Pages.Explain;

/// <summary>
/// Every number the API gave for a neuron or an edge, exactly, beside the equation that produced it with its operands
/// filled in: the hover text and the details panel of the step-through. It only arranges the API's numbers; it computes none.
/// </summary>
public static class StepThroughDetails
{
    /// <summary>A heading for the selection: "h1 (hidden layer 1, neuron 1)" or "w5: h1 → o1".</summary>
    public static string Title(StepThroughNetwork network, DiagramSelection selection)
    {
        string neuron = Neuron(network, selection.Column, selection.Neuron);
        if (selection.From is { } from)
            return $"w{WeightNumber(network, selection.Column - 1, selection.Neuron, from)}: {Neuron(network, selection.Column - 1, from)} → {neuron}";
        string column = selection.Column == 0 ? "input" : selection.Column == network.Layers.Count ? "output layer" : $"hidden layer {selection.Column}";
        return $"{neuron} ({column}, neuron {selection.Neuron + 1})";
    }

    public static IReadOnlyList<DetailLine> For(StepThroughNetwork network, ExplainResponse answer, DiagramSelection selection)
    {
        if (selection.Column == 0)
            return [new("x", Format.Exact(network.Input[selection.Neuron]), "the input: a⁰ = x")];
        return selection.From is { } from ? EdgeLines(network, answer, selection.Column - 1, selection.Neuron, from) : NeuronLines(network, answer, selection.Column - 1, selection.Neuron);
    }

    /// <summary>The lines as one text (for an SVG title: the hover text).</summary>
    public static string Text(StepThroughNetwork network, ExplainResponse answer, DiagramSelection selection) =>
        Title(network, selection) + "\n" + string.Join("\n", For(network, answer, selection).Select(d => $"{d.Quantity} = {d.Value}   ({d.Equation})"));

    private static IReadOnlyList<DetailLine> NeuronLines(StepThroughNetwork network, ExplainResponse answer, int layer, int j)
    {
        var parameters = network.Layers[layer];
        var result = answer.Layers[layer];
        double[] previous = PreviousActivations(network, answer, layer);
        var weightedSum = string.Join(" + ", Enumerable.Range(0, parameters.Inputs)
            .Select(k => $"{Format.Exact(parameters.Weights[j][k])} × {Format.Exact(previous[k])}"));
        bool output = layer == network.Layers.Count - 1;
        string error = output
            ? $"{OutputError}: {OutputErrorFormula(network.Cost, parameters.Activation)}, with y = {Format.Exact(network.Target[j])}"
            : $"{HiddenError}: {HiddenErrorFormula} = ({BackSum(network, answer, layer, j)}) × σ′(z)";
        return
        [
            new("z", Format.Exact(result.Z[j]), $"{Forward} = {weightedSum} + {Format.Exact(parameters.Biases[j])}"),
            new("a", Format.Exact(result.Activation[j]), $"{StepThroughNames.Activation}, σ = {WireName.Of(parameters.Activation)}"),
            new("δ", Format.Exact(result.Delta[j]), error),
            new("∂C/∂b", Format.Exact(result.BiasGradients[j]), $"{BiasGradient}: {BiasGradientFormula}"),
            new("b", Format.Exact(parameters.Biases[j]), "the bias now"),
            new("b after the step", Format.Exact(result.UpdatedBiases[j]), $"b − η ∂C/∂b, η = {Format.Exact(network.LearningRate)}"),
        ];
    }

    private static IReadOnlyList<DetailLine> EdgeLines(StepThroughNetwork network, ExplainResponse answer, int layer, int j, int k)
    {
        int number = WeightNumber(network, layer, j, k);
        string from = StepThroughNames.Neuron(network, layer, k), to = StepThroughNames.Neuron(network, layer + 1, j);
        double[] previous = PreviousActivations(network, answer, layer);
        var result = answer.Layers[layer];
        return
        [
            new($"w{number}", Format.Exact(network.Layers[layer].Weights[j][k]), $"w^{layer + 1}_{j + 1}{k + 1}: the weight from {from} to {to}"),
            new($"∂C/∂w{number}", Format.Exact(result.WeightGradients[j][k]),
                $"{WeightGradient}: {WeightGradientFormula} = a({from}) × δ({to}) = {Format.Exact(previous[k])} × {Format.Exact(result.Delta[j])}"),
            new($"w{number} after the step", Format.Exact(result.UpdatedWeights[j][k]), $"w − η ∂C/∂w, η = {Format.Exact(network.LearningRate)}"),
        ];
    }

    /// <summary>Σᵢ w_ij δ_i over the next layer, written out: the part of BP2 that carries δ back.</summary>
    private static string BackSum(StepThroughNetwork network, ExplainResponse answer, int layer, int j)
    {
        var next = network.Layers[layer + 1];
        return string.Join(" + ", Enumerable.Range(0, next.Size).Select(i =>
            $"w{WeightNumber(network, layer + 1, i, j)} {Format.Exact(next.Weights[i][j])} × δ({StepThroughNames.Neuron(network, layer + 2, i)}) {Format.Exact(answer.Layers[layer + 1].Delta[i])}"));
    }

    /// <summary>aˡ⁻¹: the input for the first layer, else the previous layer's activations.</summary>
    private static double[] PreviousActivations(StepThroughNetwork network, ExplainResponse answer, int layer) =>
        layer == 0 ? network.Input : answer.Layers[layer - 1].Activation;
}
