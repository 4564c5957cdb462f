using BackpropService.Engine.Activations;
using BackpropService.Engine.Costs;
using BackpropService.Engine.Explain;

namespace BackpropService.Engine.Tests;

/// <summary>
/// Matt Mazur, "A Step by Step Backpropagation Example": a 2-2-2 sigmoid network, C = ½Σ(t − o)², η = 0.5.
/// The published numbers, checked through the step-through to the digits the article gives.
/// </summary>
public class WorkedExampleTests
{
    private static StepThroughResult RunMazurExample() => StepThrough.Run(new StepThroughInput(
        Layers:
        [
            new StepThroughLayer([[0.15, 0.20], [0.25, 0.30]], [0.35, 0.35], ActivationKind.Sigmoid),
            new StepThroughLayer([[0.40, 0.45], [0.50, 0.55]], [0.60, 0.60], ActivationKind.Sigmoid),
        ],
        Input: [0.05, 0.10],
        Target: [0.01, 0.99],
        Cost: CostKind.Quadratic,
        LearningRate: 0.5));

    [Fact]
    public void Total_error_before_the_step_is_the_published_one()
    {
        StepThroughResult result = RunMazurExample();
        Assert.Equal(0.298371109, result.Cost, 9);
        Assert.Equal(0.75136507, result.Output[0], 8);
        Assert.Equal(0.772928465, result.Output[1], 9);
        Assert.Equal(0.593269992, result.Layers[0].Activation[0], 9); // out_h1
        Assert.Equal(0.596884378, result.Layers[0].Activation[1], 9); // out_h2
    }

    [Fact]
    public void Output_layer_weights_after_one_step_are_the_published_ones()
    {
        double[][] w = RunMazurExample().Layers[1].UpdatedWeights;
        Assert.Equal(0.35891648, w[0][0], 8);  // w5
        Assert.Equal(0.408666186, w[0][1], 9); // w6
        Assert.Equal(0.511301270, w[1][0], 9); // w7
        Assert.Equal(0.561370121, w[1][1], 9); // w8
    }

    [Fact]
    public void Hidden_layer_weights_after_one_step_are_the_published_ones()
    {
        double[][] w = RunMazurExample().Layers[0].UpdatedWeights;
        Assert.Equal(0.149780716, w[0][0], 9); // w1
        Assert.Equal(0.19956143, w[0][1], 8);  // w2
        Assert.Equal(0.24975114, w[1][0], 8);  // w3
        Assert.Equal(0.29950229, w[1][1], 8);  // w4
    }

    [Fact]
    public void Gradients_follow_the_article_and_the_step_lowers_the_cost()
    {
        StepThroughResult result = RunMazurExample();
        Assert.Equal(0.082167041, result.Layers[1].WeightGradients[0][0], 9); // ∂E/∂w5
        Assert.Equal(0.138498562, result.Layers[1].Delta[0], 9);            // δ_o1
        Assert.Equal(result.Layers[1].Delta[0], result.Layers[1].BiasGradients[0]); // BP3
        // The article reports 0.291027924 after updating the weights only; we update the biases too,
        // which lowers the cost a little further.
        Assert.True(result.CostAfterUpdate < 0.291027924);
    }

    [Fact]
    public void Step_through_names_the_field_of_a_bad_shape()
    {
        var bad = new StepThroughInput(
            [new StepThroughLayer([[0.1, 0.2, 0.3]], [0.0], ActivationKind.Sigmoid)],
            Input: [1.0, 2.0], Target: [1.0], Cost: CostKind.Quadratic, LearningRate: 0.5);
        var error = Assert.Throws<ArgumentException>(() => StepThrough.Run(bad));
        Assert.Equal("layers[0].weights[0]", error.ParamName);
        Assert.Contains("needs 2 weights", error.Message);
    }
}
