using BackpropService.Engine.Optimizers;

namespace BackpropService.Engine.Tests;

/// <summary>Each optimizer's update rule, checked by hand on two parameters.</summary>
public class OptimizerTests
{
    [Fact]
    public void Sgd_steps_against_the_gradient()
    {
        float[] theta = [1f, -2f];
        Optimizer.Create(OptimizerKind.Sgd, 2, 0).Step(theta, [0.5f, -1f], 0.1f);
        Assert.Equal([0.95f, -1.9f], theta);
    }

    [Fact]
    public void Momentum_accumulates_velocity()
    {
        float[] theta = [0f];
        Optimizer momentum = Optimizer.Create(OptimizerKind.Momentum, 1, 0.9f);
        momentum.Step(theta, [1f], 0.1f); // v = 1, θ = −0.1
        momentum.Step(theta, [1f], 0.1f); // v = 1.9, θ = −0.29
        Assert.Equal(-0.29f, theta[0], 6);
    }

    [Fact]
    public void Nesterov_looks_ahead()
    {
        float[] theta = [0f];
        Optimizer nesterov = Optimizer.Create(OptimizerKind.Nesterov, 1, 0.9f);
        nesterov.Step(theta, [1f], 0.1f); // v = 1, θ −= 0.1·(1 + 0.9·1) = −0.19
        Assert.Equal(-0.19f, theta[0], 6);
    }

    [Theory]
    [MemberData(nameof(EveryOptimizer.Kinds), MemberType = typeof(EveryOptimizer))]
    public void A_step_taken_in_slices_of_theta_gives_the_bits_of_one_whole_step(OptimizerKind kind)
    {
        // What the trainer does on several threads: BeginStep once, then Update on pieces of θ, in any order.
        const int count = 1_003;
        var random = new Random(3);
        float[] start = Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        float[][] gradients = Enumerable.Range(0, 3).Select(_ => Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray()).ToArray();

        float[] whole = (float[])start.Clone();
        Optimizer wholeOptimizer = Optimizer.Create(kind, count, 0.9f);
        foreach (float[] gradient in gradients) wholeOptimizer.Step(whole, gradient, 0.05f);

        float[] sliced = (float[])start.Clone();
        Optimizer slicedOptimizer = Optimizer.Create(kind, count, 0.9f);
        foreach (float[] gradient in gradients)
        {
            slicedOptimizer.BeginStep();
            foreach ((int offset, int length) in new[] { (640, 363), (0, 17), (17, 623) })
                slicedOptimizer.Update(sliced.AsSpan(offset, length), gradient.AsSpan(offset, length), offset, 0.05f);
        }

        Assert.Equal(whole, sliced);
        Assert.NotEqual(start, whole);
    }

    [Fact]
    public void RmsProp_divides_by_the_running_root_mean_square()
    {
        float[] theta = [0f];
        Optimizer rmsProp = Optimizer.Create(OptimizerKind.Rmsprop, 1, 0);
        rmsProp.Step(theta, [2f], 0.01f); // s = 0.1·4 = 0.4, θ = −0.01·2/√0.4
        Assert.Equal(-0.01f * 2f / MathF.Sqrt(0.4f), theta[0], 5);
    }

    [Fact]
    public void Adams_first_step_has_the_size_of_the_learning_rate()
    {
        float[] theta = [0f, 0f];
        Optimizer.Create(OptimizerKind.Adam, 2, 0).Step(theta, [3f, -0.001f], 0.01f); // bias-corrected m̂/√v̂ = sgn(g)
        Assert.Equal(-0.01f, theta[0], 5);
        Assert.Equal(0.01f, theta[1], 4);
    }
}
