using System.Globalization;
using BackpropService.Contracts;

namespace BackpropService.Web.Components.Pages.Explain;

/// <summary>
/// The network, sample, cost and η the step-through page shows and edits. The page computes nothing itself: it sends
/// <see cref="ToRequest"/> to <c>POST /api/explain</c> and shows the answer, so page and API can never disagree.
/// </summary>
public sealed class StepThroughNetwork
{
    /// <summary>Most layers (hidden and output) the page draws.</summary>
    public const int MaxLayers = 4;

    /// <summary>Most neurons in one layer, inputs included, that the page draws.</summary>
    public const int MaxWidth = 8;

    private StepThroughNetwork(List<EditableLayer> layers, double[] input, double[] target, Cost cost, double learningRate)
    {
        Layers = layers;
        Input = input;
        Target = target;
        Cost = cost;
        LearningRate = learningRate;
    }

    public IReadOnlyList<EditableLayer> Layers { get; }

    /// <summary>The sample x (the activations a⁰ of the input layer).</summary>
    public double[] Input { get; }

    /// <summary>The target y for the output layer.</summary>
    public double[] Target { get; }

    public Cost Cost { get; set; }

    /// <summary>η of the plain gradient-descent step.</summary>
    public double LearningRate { get; set; }

    /// <summary>The neurons per column: inputs, then each layer.</summary>
    public IReadOnlyList<int> Shape => [Input.Length, .. Layers.Select(l => l.Size)];

    /// <summary>
    /// Why a network of this shape (inputs first) is too large to draw, or null when it fits. The API would take larger
    /// ones; a diagram of them would be unreadable.
    /// </summary>
    public static string? Refusal(IReadOnlyList<int> shape)
    {
        string written = string.Join("-", shape);
        if (shape.Count < 2) return $"'{written}' needs at least an input and an output layer, for example 2-2-2.";
        if (shape.Any(size => size < 1)) return $"'{written}' has a layer without neurons; every layer needs at least one.";
        if (shape.Count - 1 > MaxLayers)
            return $"The step-through draws at most {MaxLayers} layers after the input (hidden and output) of at most {MaxWidth} neurons; '{written}' has {shape.Count - 1}.";
        if (shape.Max() > MaxWidth)
            return $"The step-through draws at most {MaxWidth} neurons per layer (inputs included) in at most {MaxLayers} layers; '{written}' has a layer of {shape.Max()}.";
        return null;
    }

    /// <summary>Reads a shape written as "2-2-2" (or with commas or spaces); null when it is not a list of whole numbers.</summary>
    public static int[]? ParseShape(string? text)
    {
        var parts = (text ?? "").Split(['-', ',', ' ', '×', 'x'], StringSplitOptions.RemoveEmptyEntries);
        var sizes = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out sizes[i])) return null;
        return parts.Length == 0 ? null : sizes;
    }

    /// <summary>A copy of <paramref name="request"/> to edit (the request is not changed).</summary>
    /// <exception cref="ArgumentException">A part is missing: requests here come from the presets or the API, which give them all.</exception>
    public static StepThroughNetwork From(ExplainRequest request)
    {
        var layers = (request.Layers ?? throw new ArgumentException("The request has no layers.", nameof(request)))
            .Select(l => new EditableLayer(
                (l?.Weights ?? []).Select(row => row.ToArray()).ToArray(),
                l?.Biases?.ToArray() ?? [],
                l?.Activation ?? Activation.Sigmoid))
            .ToList();
        return new StepThroughNetwork(layers, request.Input?.ToArray() ?? [], request.Target?.ToArray() ?? [],
            request.Cost ?? Contracts.Cost.Quadratic, request.LearningRate ?? 0.5);
    }

    /// <summary>The body for <c>POST /api/explain</c> (copies: later edits do not change a request in flight).</summary>
    public ExplainRequest ToRequest() => new(
        Layers.Select(l => (ExplainLayer?)new ExplainLayer(l.Weights.Select(row => row.ToArray()).ToArray(), l.Biases.ToArray(), l.Activation)).ToList(),
        Input.ToArray(), Target.ToArray(), Cost, LearningRate);

    /// <summary>Takes the step the API computed: every weight and bias becomes its updated value (w − η ∂C/∂w, b − η ∂C/∂b).</summary>
    public void Apply(ExplainResponse answer)
    {
        for (int l = 0; l < Layers.Count; l++)
        {
            var updated = answer.Layers[l];
            for (int j = 0; j < Layers[l].Size; j++)
            {
                updated.UpdatedWeights[j].CopyTo(Layers[l].Weights[j], 0);
                Layers[l].Biases[j] = updated.UpdatedBiases[j];
            }
        }
    }

    /// <summary>
    /// The same network in a new <paramref name="shape"/> (inputs first): values that still have a place keep it, new weights
    /// get small fixed values (so the same shape always starts alike), new biases, inputs and targets 0 (targets 0.5).
    /// </summary>
    public StepThroughNetwork Reshaped(IReadOnlyList<int> shape)
    {
        var layers = new List<EditableLayer>();
        for (int l = 1; l < shape.Count; l++)
        {
            var old = l - 1 < Layers.Count ? Layers[l - 1] : null;
            var weights = new double[shape[l]][];
            for (int j = 0; j < shape[l]; j++)
            {
                weights[j] = new double[shape[l - 1]];
                for (int k = 0; k < shape[l - 1]; k++)
                    weights[j][k] = old is not null && j < old.Size && k < old.Inputs ? old.Weights[j][k] : StartingWeight(l, j, k);
            }
            var biases = Enumerable.Range(0, shape[l]).Select(j => old is not null && j < old.Size ? old.Biases[j] : 0.0).ToArray();
            var activation = old?.Activation ?? (l == shape.Count - 1 ? Layers[^1].Activation : Activation.Sigmoid);
            layers.Add(new EditableLayer(weights, biases, activation));
        }
        // The output layer keeps the output activation (a softmax in the middle would be refused).
        layers[^1].Activation = Layers[^1].Activation;
        for (int l = 0; l < layers.Count - 1; l++)
            if (layers[l].Activation == Activation.Softmax) layers[l].Activation = Activation.Sigmoid;
        double[] input = Enumerable.Range(0, shape[0]).Select(k => k < Input.Length ? Input[k] : 0.0).ToArray();
        double[] target = Enumerable.Range(0, shape[^1]).Select(j => j < Target.Length ? Target[j] : 0.5).ToArray();
        return new StepThroughNetwork(layers, input, target, Cost, LearningRate);
    }

    /// <summary>A value in [−0.5, 0.5] that differs from neuron to neuron (equal weights would make the neurons alike).</summary>
    private static double StartingWeight(int layer, int to, int from) => Math.Round(0.5 * Math.Sin(1 + 7 * layer + 3 * to + from), 2);
}
