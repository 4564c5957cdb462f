using BackpropService.Engine.Activations;
using BackpropService.Engine.Costs;
using BackpropService.Engine.Layers;

namespace BackpropService.Engine.Explain;

/// <summary>
/// Backpropagation shown step by step, in double precision: the forward pass, δ of every layer (BP1, BP2),
/// the gradients (BP3, BP4), one plain gradient-descent update, and the forward pass again. It runs the same
/// <see cref="Network{T}"/> code that training runs, with a batch of one sample.
/// </summary>
public static class StepThrough
{
    /// <summary>Bounds on a network given to the step-through: it returns every number, so at most 100,000 parameters.</summary>
    public static NetworkLimits Limits { get; } = new() { MaxParameters = 100_000 };

    /// <exception cref="ArgumentException">The input is inconsistent; <see cref="ArgumentException.ParamName"/> names the field.</exception>
    public static StepThroughResult Run(StepThroughInput request)
    {
        Network<double> network = BuildNetwork(request);
        Cost cost = Cost.For(request.Cost);
        NetworkWorkspace<double> workspace = network.CreateWorkspace(1);
        var gradients = new double[network.ParameterCount];

        double loss = network.Backpropagate(request.Input, request.Target, 1, cost, workspace, gradients);
        double[] output = workspace.Output.ToArray();

        var layers = new StepThroughLayerResult[network.Layers.Count];
        var updated = network.Clone();
        foreach (DenseLayer layer in network.Layers)
        {
            int l = layer.Index;
            ReadOnlySpan<double> weightGradients = gradients.AsSpan(layer.WeightOffset, layer.WeightCount);
            ReadOnlySpan<double> biasGradients = gradients.AsSpan(layer.BiasOffset, layer.Outputs);

            // Plain gradient descent: w ← w − η ∂C/∂w, b ← b − η ∂C/∂b.
            Span<double> newWeights = updated.Weights(l);
            Span<double> newBiases = updated.Biases(l);
            for (int i = 0; i < newWeights.Length; i++) newWeights[i] -= request.LearningRate * weightGradients[i];
            for (int j = 0; j < newBiases.Length; j++) newBiases[j] -= request.LearningRate * biasGradients[j];

            layers[l] = new StepThroughLayerResult(
                Z: workspace.WeightedInputs[l].ToArray(),
                Activation: workspace.Activations[l].ToArray(),
                Delta: workspace.Errors[l].ToArray(),
                WeightGradients: ToRows(weightGradients, layer.Outputs, layer.Inputs),
                BiasGradients: biasGradients.ToArray(),
                UpdatedWeights: ToRows(newWeights, layer.Outputs, layer.Inputs),
                UpdatedBiases: newBiases.ToArray());
        }

        NetworkWorkspace<double> after = updated.CreateWorkspace(1);
        updated.Forward(request.Input, 1, after);
        Layer outputLayer = updated.Layers[^1];
        double costAfter = cost.Loss<double>(outputLayer.Activation, after.WeightedInputs[outputLayer.Index], after.Output, request.Target, outputLayer.Outputs);
        return new StepThroughResult(output, loss, layers, after.Output.ToArray(), costAfter);
    }

    private static double[][] ToRows(ReadOnlySpan<double> matrix, int rows, int columns)
    {
        var result = new double[rows][];
        for (int j = 0; j < rows; j++) result[j] = matrix.Slice(j * columns, columns).ToArray();
        return result;
    }

    private static Network<double> BuildNetwork(StepThroughInput request)
    {
        if (request.Layers is null || request.Layers.Count == 0)
            throw new ArgumentException("give at least one layer", "layers");
        if (request.Layers.Count > Limits.MaxLayers)
            throw new ArgumentException($"at most {Limits.MaxLayers} layers are allowed, got {request.Layers.Count}", "layers");
        if (request.Input is null || request.Input.Length == 0)
            throw new ArgumentException("give the input values", "input");
        RequireFinite(request.Input, "input");
        if (!double.IsFinite(request.LearningRate) || request.LearningRate <= 0)
            throw new ArgumentException($"the learning rate must be a positive number, got {request.LearningRate}", "learningRate");
        if (!Enum.IsDefined(request.Cost))
            throw new ArgumentException($"unknown cost; use {EnumNames.Accepted<CostKind>()}", "cost");

        int previous = request.Input.Length;
        var specs = new LayerSpec[request.Layers.Count];
        for (int l = 0; l < request.Layers.Count; l++)
        {
            StepThroughLayer layer = request.Layers[l] ?? throw new ArgumentException("layer is missing", $"layers[{l}]");
            string field = $"layers[{l}]";
            if (layer.Weights is null || layer.Weights.Length == 0)
                throw new ArgumentException("give the weight matrix, one row per neuron", $"{field}.weights");
            for (int j = 0; j < layer.Weights.Length; j++)
            {
                double[] row = layer.Weights[j];
                if (row is null || row.Length != previous)
                    throw new ArgumentException($"row {j} needs {previous} weights (one per neuron of the {(l == 0 ? "input" : "previous layer")}), got {row?.Length ?? 0}", $"{field}.weights[{j}]");
                RequireFinite(row, $"{field}.weights[{j}]");
            }
            if (layer.Biases is null || layer.Biases.Length != layer.Weights.Length)
                throw new ArgumentException($"needs {layer.Weights.Length} biases (one per neuron), got {layer.Biases?.Length ?? 0}", $"{field}.biases");
            RequireFinite(layer.Biases, $"{field}.biases");
            specs[l] = new LayerSpec(layer.Weights.Length, layer.Activation);
            previous = layer.Weights.Length;
        }

        // Sizes, activations and the parameter count: the rules every network follows, under the step-through's limits.
        if (new NetworkShape(request.Input.Length, specs).Check(Limits, "input") is [var first, ..])
            throw new ArgumentException(first.Reason, first.Field);

        if (request.Target is null || request.Target.Length != previous)
            throw new ArgumentException($"the target needs {previous} values (one per output neuron), got {request.Target?.Length ?? 0}", "target");
        RequireFinite(request.Target, "target");
        if (Cost.For(request.Cost).Incompatibility(specs[^1].Activation) is { } why)
            throw new ArgumentException(why, "cost");

        var network = new Network<double>(request.Input.Length, specs);
        for (int l = 0; l < specs.Length; l++)
        {
            Span<double> weights = network.Weights(l);
            double[][] rows = request.Layers[l].Weights;
            for (int j = 0; j < rows.Length; j++) rows[j].CopyTo(weights.Slice(j * rows[j].Length, rows[j].Length));
            request.Layers[l].Biases.CopyTo(network.Biases(l));
        }
        return network;
    }

    private static void RequireFinite(double[] values, string field)
    {
        for (int i = 0; i < values.Length; i++)
            if (!double.IsFinite(values[i])) throw new ArgumentException($"value {i} is not a finite number", field);
    }
}
