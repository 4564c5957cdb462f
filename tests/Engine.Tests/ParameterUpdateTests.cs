using BackpropService.Engine.Activations;
using BackpropService.Engine.Optimizers;
using BackpropService.Engine.Training;

namespace BackpropService.Engine.Tests;

/// <summary>
/// The end of a training step (<see cref="ParameterUpdate"/>): norms of ∂C/∂Wˡ before the penalty, the penalty's
/// gradient and the optimizer's update, the same bits on one thread or several.
/// </summary>
public class ParameterUpdateTests
{
    /// <summary>Large enough to be shared among threads, with a conv layer, a pool and dense layers of ragged widths (not multiples of 64 rows).</summary>
    private static Network<float> Network() => new(new NetworkShape(28 * 28,
    [
        LayerSpec.Conv2d(20, 5, ActivationKind.Relu), LayerSpec.MaxPool(2),
        new LayerSpec(150, ActivationKind.Relu), new LayerSpec(70, ActivationKind.Tanh), new LayerSpec(10, ActivationKind.Softmax),
    ]) { InputShape = new TensorShape(1, 28, 28) });

    private static float[] RandomValues(Random random, int count, double scale) =>
        Enumerable.Range(0, count).Select(_ => (float)((random.NextDouble() * 2 - 1) * scale)).ToArray();

    private static (float[] Parameters, double[] Norms) ThreeSteps(OptimizerKind kind, int threads, Regularization regularization)
    {
        var random = new Random(5);
        Network<float> network = Network();
        RandomValues(random, network.ParameterCount, 0.5).CopyTo(network.Parameters, 0);
        Optimizer optimizer = Optimizer.Create(kind, network.ParameterCount, 0.9f);
        var update = new ParameterUpdate(network, optimizer, regularization, threads);
        var norms = new double[4]; // conv, 150, 70, 10
        for (int step = 0; step < 3; step++)
            update.Run(network.Parameters, RandomValues(random, network.ParameterCount, 0.1), 0.05f, norms);
        return (network.Parameters, norms);
    }

    [Theory]
    [MemberData(nameof(EveryOptimizer.Kinds), MemberType = typeof(EveryOptimizer))]
    public void Two_threads_give_the_bits_of_one(OptimizerKind kind)
    {
        var regularization = new Regularization(L2: 3, L1: 2, TrainingSamples: 1000);
        (float[] oneParameters, double[] oneNorms) = ThreeSteps(kind, threads: 1, regularization);
        (float[] twoParameters, double[] twoNorms) = ThreeSteps(kind, threads: 2, regularization);

        Assert.Equal(oneParameters, twoParameters);
        Assert.Equal(oneNorms, twoNorms);
    }

    [Fact]
    public void The_step_is_the_optimizer_step_after_the_penalty_and_the_norms_are_of_the_gradient_before_it()
    {
        var random = new Random(9);
        var regularization = new Regularization(L2: 3, L1: 2, TrainingSamples: 1000);
        Network<float> network = Network();
        RandomValues(random, network.ParameterCount, 0.5).CopyTo(network.Parameters, 0);
        float[] gradients = RandomValues(random, network.ParameterCount, 0.1);

        // The reference: the penalty over the whole network, then one step of a separate optimizer.
        Network<float> expected = network.Clone();
        float[] penalized = (float[])gradients.Clone();
        expected.AddPenaltyGradient(regularization, penalized);
        Optimizer.Create(OptimizerKind.Adam, network.ParameterCount, 0.9f).Step(expected.Parameters, penalized, 0.05f);

        float[] dataGradients = (float[])gradients.Clone();
        var norms = new double[4]; // conv, 150, 70, 10
        new ParameterUpdate(network, Optimizer.Create(OptimizerKind.Adam, network.ParameterCount, 0.9f), regularization, threads: 2)
            .Run(network.Parameters, gradients, 0.05f, norms);

        Assert.Equal(expected.Parameters, network.Parameters);
        Assert.Equal(penalized, gradients); // the penalty's term is added to the gradient, as the optimizer saw it
        double[] expectedNorms = network.Layers.Where(l => l.HasWeights)
            .Select(l => Math.Sqrt(dataGradients.Skip(l.WeightOffset).Take(l.WeightCount).Sum(g => (double)g * g)))
            .ToArray();
        Assert.Equal(expectedNorms.Length, norms.Length);
        for (int w = 0; w < norms.Length; w++) Assert.Equal(expectedNorms[w], norms[w], 1e-5 * expectedNorms[w]);
    }
}
