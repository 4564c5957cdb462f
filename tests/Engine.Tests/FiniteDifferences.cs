using BackpropService.Engine.Activations;
using BackpropService.Engine.Costs;
using BackpropService.Engine.Randomness;

namespace BackpropService.Engine.Tests;

/// <summary>The independent reference of the gradient checks: central finite differences of the cost, parameter by parameter.</summary>
public static class FiniteDifferences
{
    /// <summary>
    /// Asserts that <paramref name="analytic"/> (∂C/∂θ from backprop) matches (C(θᵢ + h) − C(θᵢ − h)) / 2h for every θᵢ
    /// of <paramref name="parameters"/>, with a relative error below 1e-6 over the whole vector.
    /// </summary>
    public static void AssertGradientMatches(double[] parameters, double[] analytic, Func<double> totalCost)
    {
        const double h = 1e-5;
        var numeric = new double[parameters.Length];
        for (int i = 0; i < parameters.Length; i++)
        {
            double saved = parameters[i];
            parameters[i] = saved + h;
            double plus = totalCost();
            parameters[i] = saved - h;
            double minus = totalCost();
            parameters[i] = saved;
            numeric[i] = (plus - minus) / (2 * h);
        }

        double difference = Math.Sqrt(analytic.Zip(numeric, (a, n) => (a - n) * (a - n)).Sum());
        double scale = Math.Sqrt(analytic.Sum(a => a * a)) + Math.Sqrt(numeric.Sum(n => n * n));
        Assert.True(scale > 0, "the gradient should not vanish for random weights");
        double relativeError = difference / scale;
        Assert.True(relativeError < 1e-6, $"relative error {relativeError:E2} between backprop and finite differences");
    }

    /// <summary>Targets a cost accepts for this output: one-hot rows for softmax, probabilities for cross-entropy, any value otherwise.</summary>
    public static double[] Targets(ActivationKind output, CostKind cost, int rows, int outputs, SeededRandom random)
    {
        var targets = new double[rows * outputs];
        for (int r = 0; r < rows; r++)
        {
            if (output == ActivationKind.Softmax)
                targets[r * outputs + random.NextInt(outputs)] = 1; // one-hot, as for classification
            else
                for (int j = 0; j < outputs; j++)
                    targets[r * outputs + j] = cost == CostKind.CrossEntropy ? random.NextDouble() : random.NextNormal();
        }
        return targets;
    }
}
