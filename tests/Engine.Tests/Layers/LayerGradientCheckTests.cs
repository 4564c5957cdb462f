using BackpropService.Engine.Activations;
using BackpropService.Engine.Costs;
using BackpropService.Engine.Layers;
using BackpropService.Engine.Randomness;

namespace BackpropService.Engine.Tests.Layers;

/// <summary>
/// Backprop through conv2d, maxPool and dropout layers against central finite differences, in double precision: each
/// composition with every hidden activation, every output activation and cost the engine accepts, and the cost training
/// minimises (the mean over the mini-batch plus the L2/L1 penalty on dense and conv weights). Dropout is checked with its
/// mask fixed: every evaluation of the cost uses the same <see cref="DropoutKey"/>.
/// </summary>
public class LayerGradientCheckTests
{
    private const int Rows = 3, Outputs = 3, TrainingSamples = 40;

    /// <summary>The networks checked, by name: (input shape, layers given the hidden and the output activation).</summary>
    private static (TensorShape Input, LayerSpec[] Layers) Architecture(string name, ActivationKind hidden, ActivationKind output) => name switch
    {
        // 2×5×5 → conv 3 filters 3×3, stride 2, padding 1 → 3×3×3 → dense.
        "conv(stride 2, padding 1)→dense" => (new TensorShape(2, 5, 5),
            [LayerSpec.Conv2d(3, 3, hidden, stride: 2, padding: 1), LayerSpec.Dense(Outputs, output)]),
        // 1×6×6 → conv 2×(3×3), padding 1 → 2×6×6 → pool 2 → 2×3×3 → dense.
        "conv→maxPool→dense" => (new TensorShape(1, 6, 6),
            [LayerSpec.Conv2d(2, 3, hidden, padding: 1), LayerSpec.MaxPool(2), LayerSpec.Dense(Outputs, output)]),
        // 1×5×5 → conv 2×(3×3), stride 2, padding 1 → 2×3×3 → dropout → dense 4 → dense.
        "conv→dropout→dense→dense" => (new TensorShape(1, 5, 5),
            [LayerSpec.Conv2d(2, 3, hidden, stride: 2, padding: 1), LayerSpec.Dropout(0.4), LayerSpec.Dense(4, hidden), LayerSpec.Dense(Outputs, output)]),
        // Two convolutions with a pool between and dropout after: 1×7×7 → 2×7×7 → 2×3×3 → 3×2×2 → dense.
        "conv→maxPool→conv→dropout→dense" => (new TensorShape(1, 7, 7),
            [LayerSpec.Conv2d(2, 3, hidden, padding: 1), LayerSpec.MaxPool(2), LayerSpec.Conv2d(3, 2, hidden), LayerSpec.Dropout(0.3), LayerSpec.Dense(Outputs, output)]),
        // A pool straight on the input (no σ below it to backpropagate into), then dense.
        "maxPool→dense" => (new TensorShape(2, 4, 4), [LayerSpec.MaxPool(2), LayerSpec.Dense(4, hidden), LayerSpec.Dense(Outputs, output)]),
        // Dropout between dense layers on a flat input.
        "dense→dropout→dense" => (TensorShape.Flat(5), [LayerSpec.Dense(6, hidden), LayerSpec.Dropout(0.5), LayerSpec.Dense(Outputs, output)]),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    private static readonly string[] Architectures =
    [
        "conv(stride 2, padding 1)→dense", "conv→maxPool→dense", "conv→dropout→dense→dense", "conv→maxPool→conv→dropout→dense",
        "maxPool→dense", "dense→dropout→dense",
    ];

    public static TheoryData<string, ActivationKind, ActivationKind, CostKind> Combinations()
    {
        var data = new TheoryData<string, ActivationKind, ActivationKind, CostKind>();
        ActivationKind[] hidden = [ActivationKind.Identity, ActivationKind.Sigmoid, ActivationKind.Tanh, ActivationKind.Relu, ActivationKind.LeakyRelu];
        foreach (string architecture in Architectures)
            foreach (ActivationKind output in Enum.GetValues<ActivationKind>())
                foreach (CostKind cost in Enum.GetValues<CostKind>())
                {
                    if (Cost.For(cost).Incompatibility(output) is not null) continue;
                    foreach (ActivationKind h in hidden) data.Add(architecture, h, output, cost);
                }
        return data;
    }

    [Theory]
    [MemberData(nameof(Combinations))]
    public void Backprop_matches_central_finite_differences(string architecture, ActivationKind hidden, ActivationKind output, CostKind cost)
    {
        (TensorShape input, LayerSpec[] layers) = Architecture(architecture, hidden, output);
        AssertGradientMatches(input, layers, output, cost, new Regularization(0, 0, TrainingSamples));
    }

    [Theory]
    [InlineData("conv(stride 2, padding 1)→dense", 2.0, 0.0)]
    [InlineData("conv→maxPool→conv→dropout→dense", 0.0, 1.5)]
    [InlineData("conv→dropout→dense→dense", 1.0, 0.5)]
    public void Backprop_with_regularization_matches_central_finite_differences(string architecture, double l2, double l1)
    {
        (TensorShape input, LayerSpec[] layers) = Architecture(architecture, ActivationKind.Tanh, ActivationKind.Softmax);
        AssertGradientMatches(input, layers, ActivationKind.Softmax, CostKind.CrossEntropy, new Regularization(l2, l1, TrainingSamples));
    }

    private static void AssertGradientMatches(TensorShape inputShape, LayerSpec[] layers, ActivationKind output, CostKind costKind, Regularization regularization)
    {
        var random = new SeededRandom(7);
        var network = new Network<double>(new NetworkShape((int)inputShape.Length, layers) { InputShape = inputShape });
        for (int i = 0; i < network.ParameterCount; i++) network.Parameters[i] = random.NextNormal() * 0.6;

        double[] inputs = Enumerable.Range(0, Rows * network.Inputs).Select(_ => random.NextNormal()).ToArray();
        double[] targets = FiniteDifferences.Targets(output, costKind, Rows, Outputs, random);
        Cost cost = Cost.For(costKind);
        NetworkWorkspace<double> workspace = network.CreateWorkspace(Rows);
        var key = new DropoutKey(Seed: 5, Epoch: 2, Batch: 3);

        var analytic = new double[network.ParameterCount];
        network.Backpropagate(inputs, targets, Rows, cost, workspace, analytic, key);
        network.AddPenaltyGradient(regularization, analytic);
        AssertMasksDropSomeValuesAndKeepOthers(network, workspace);

        double TotalCost()
        {
            var unused = new double[network.ParameterCount];
            return network.Backpropagate(inputs, targets, Rows, cost, workspace, unused, key) / Rows + network.Penalty(regularization);
        }

        FiniteDifferences.AssertGradientMatches(network.Parameters, analytic, TotalCost);

        // Every layer with weights gets a gradient of its own (none is left at zero by a broken flow of δ).
        foreach (Layer layer in network.Layers.Where(l => l.HasWeights))
            Assert.Contains(analytic.AsSpan(layer.WeightOffset, layer.WeightCount).ToArray(), g => g != 0);
    }

    /// <summary>A check with a mask of all ones or all zeros would not show that δ follows the mask.</summary>
    private static void AssertMasksDropSomeValuesAndKeepOthers(Network<double> network, NetworkWorkspace<double> workspace)
    {
        foreach (Layer layer in network.Layers.Where(l => l.Kind == LayerKind.Dropout))
        {
            double[] mask = workspace.Masks[layer.Index];
            double kept = 1 / (1 - layer.Spec.Rate);
            Assert.All(mask, m => Assert.True(m == 0 || m == kept, $"mask value {m}"));
            Assert.Contains(mask, m => m == 0);
            Assert.Contains(mask, m => m == kept);
        }
    }
}
