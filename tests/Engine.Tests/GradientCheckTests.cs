using BackpropService.Engine.Activations;
using BackpropService.Engine.Costs;
using BackpropService.Engine.Randomness;

namespace BackpropService.Engine.Tests;

/// <summary>
/// Backprop against central finite differences, in double precision, for every activation × cost
/// combination the engine accepts, with and without regularization. The cost checked is the one training
/// minimises: the mean over the mini-batch plus the L2/L1 penalty.
/// </summary>
public class GradientCheckTests
{
    private const int Inputs = 3, Hidden = 4, Outputs = 3, Rows = 5, TrainingSamples = 50;

    public static TheoryData<ActivationKind, ActivationKind, CostKind, double, double> Combinations()
    {
        var data = new TheoryData<ActivationKind, ActivationKind, CostKind, double, double>();
        ActivationKind[] hidden = [ActivationKind.Identity, ActivationKind.Sigmoid, ActivationKind.Tanh, ActivationKind.Relu, ActivationKind.LeakyRelu];
        foreach (ActivationKind output in Enum.GetValues<ActivationKind>())
            foreach (CostKind cost in Enum.GetValues<CostKind>())
            {
                if (Cost.For(cost).Incompatibility(output) is not null) continue;
                foreach (ActivationKind h in hidden)
                {
                    data.Add(h, output, cost, 0, 0);
                    data.Add(h, output, cost, 2.0, 0);
                    data.Add(h, output, cost, 0, 1.5);
                }
            }
        return data;
    }

    [Theory]
    [MemberData(nameof(Combinations))]
    public void Backprop_matches_central_finite_differences(ActivationKind hidden, ActivationKind output, CostKind costKind, double l2, double l1)
    {
        var random = new SeededRandom(7);
        var network = new Network<double>(Inputs, [new LayerSpec(Hidden, hidden), new LayerSpec(Hidden, hidden), new LayerSpec(Outputs, output)]);
        for (int i = 0; i < network.ParameterCount; i++) network.Parameters[i] = random.NextNormal() * 0.8;

        double[] inputs = Enumerable.Range(0, Rows * Inputs).Select(_ => random.NextNormal()).ToArray();
        double[] targets = FiniteDifferences.Targets(output, costKind, Rows, Outputs, random);
        Cost cost = Cost.For(costKind);
        var regularization = new Regularization(l2, l1, TrainingSamples);
        NetworkWorkspace<double> workspace = network.CreateWorkspace(Rows);

        var analytic = new double[network.ParameterCount];
        network.Backpropagate(inputs, targets, Rows, cost, workspace, analytic);
        network.AddPenaltyGradient(regularization, analytic);

        double TotalCost()
        {
            var scratch = new double[network.ParameterCount];
            return network.Backpropagate(inputs, targets, Rows, cost, workspace, scratch) / Rows + network.Penalty(regularization);
        }

        FiniteDifferences.AssertGradientMatches(network.Parameters, analytic, TotalCost);
    }

    [Fact]
    public void Cross_entropy_refuses_outputs_that_are_not_probabilities()
    {
        foreach (ActivationKind output in new[] { ActivationKind.Identity, ActivationKind.Tanh, ActivationKind.Relu, ActivationKind.LeakyRelu })
        {
            string? why = Cost.For(CostKind.CrossEntropy).Incompatibility(output);
            Assert.NotNull(why);
            Assert.Contains("sigmoid or softmax", why);
        }
    }

    [Fact]
    public void Cross_entropy_loss_stays_finite_for_huge_logits()
    {
        double[] z = [1000, -1000, 0];
        double[] a = new double[3];
        double[] y = [0, 1, 0];
        Activation softmax = Activation.For(ActivationKind.Softmax);
        softmax.Forward<double>(z, a, 3);
        double softmaxLoss = CrossEntropyCost.Instance.Loss<double>(softmax, z, a, y, 3);
        Assert.Equal(2000, softmaxLoss, 6); // −ln a₁ = logΣexp(z) − z₁ = 1000 − (−1000)

        Activation sigmoid = Activation.For(ActivationKind.Sigmoid);
        sigmoid.Forward<double>(z, a, 3);
        double sigmoidLoss = CrossEntropyCost.Instance.Loss<double>(sigmoid, z, a, y, 3);
        Assert.True(double.IsFinite(sigmoidLoss));
        Assert.Equal(1000 + 1000 + Math.Log(2), sigmoidLoss, 6);
    }
}
