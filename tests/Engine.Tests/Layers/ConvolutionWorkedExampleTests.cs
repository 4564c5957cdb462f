using BackpropService.Engine.Activations;
using BackpropService.Engine.Layers;

namespace BackpropService.Engine.Tests.Layers;

/// <summary>
/// A convolution worked by hand: the 1×4×4 input holding 1 to 16 row by row, one 2×2 kernel [[1, 2], [3, 4]] with bias
/// 0.5, and a chosen δ. Every expected number below was computed on paper from the definitions (z at a position is the
/// bias plus the kernel times the input under it; ∂C/∂w_ij = Σ δ · the input moved by (i, j); ∂C/∂b = Σ δ; ∂C/∂x adds
/// δ · w for each position whose window covers x), not by the engine.
/// </summary>
public class ConvolutionWorkedExampleTests
{
    private static readonly double[] Input = Enumerable.Range(1, 16).Select(v => (double)v).ToArray();

    private static readonly double[] Kernel = [1, 2, 3, 4];

    private const double Bias = 0.5;

    [Fact]
    public void Stride_1_without_padding_gives_the_hand_computed_values()
    {
        // z(y, x) = 40y + 10x + 44.5: each step right adds 1 to the four inputs under the kernel (Σw = 10), down 4.
        double[] expectedZ =
        [
            44.5, 54.5, 64.5,
            84.5, 94.5, 104.5,
            124.5, 134.5, 144.5,
        ];
        double[] delta =
        [
            1, 2, 0,
            0, -1, 0,
            0, 0, 1,
        ];
        // w00 = 1·1 + 2·2 − 1·6 + 1·11; the others move every input by one column (+Σδ = 3) or one row (+4·Σδ).
        double[] expectedWeightGradients = [10, 13, 22, 25];
        double expectedBiasGradient = 3;
        // Each nonzero δ adds δ·w over its 2×2 window: (0,0)·1, (0,1)·2, (1,1)·(−1), (2,2)·1.
        double[] expectedInputError =
        [
            1, 4, 4, 0,
            3, 9, 6, 0,
            0, -3, -3, 2,
            0, 0, 3, 4,
        ];

        AssertExample(stride: 1, padding: 0, expectedZ, delta, expectedWeightGradients, expectedBiasGradient, expectedInputError);
    }

    [Fact]
    public void Stride_2_with_padding_1_gives_the_hand_computed_values()
    {
        // The window of output (y, x) starts at input (2y − 1, 2x − 1); positions outside the input are zeros.
        // (0,0) sees only 1 under w11 = 4; (0,1) sees 2·3 + 3·4; (1,1) sees 6·1 + 7·2 + 10·3 + 11·4; (2,2) sees 16·1.
        double[] expectedZ =
        [
            4.5, 18.5, 12.5,
            46.5, 94.5, 44.5,
            26.5, 44.5, 16.5,
        ];
        double[] delta =
        [
            1, 0, 0,
            0, -1, 0,
            0, 0, 2,
        ];
        // w00: −1·6 + 2·16; w01: −1·7; w10: −1·10; w11: 1·1 − 1·11 (the other products fall on padding).
        double[] expectedWeightGradients = [26, -7, -10, -10];
        double expectedBiasGradient = 2;
        // δ(0,0) reaches input (0,0) through w11; δ(1,1) = −1 its whole window; δ(2,2) = 2 reaches (3,3) through w00.
        double[] expectedInputError =
        [
            4, 0, 0, 0,
            0, -1, -2, 0,
            0, -3, -4, 0,
            0, 0, 0, 2,
        ];

        AssertExample(stride: 2, padding: 1, expectedZ, delta, expectedWeightGradients, expectedBiasGradient, expectedInputError);
    }

    private static void AssertExample(int stride, int padding, double[] expectedZ, double[] delta,
        double[] expectedWeightGradients, double expectedBiasGradient, double[] expectedInputError)
    {
        var shape = new NetworkShape(16, [LayerSpec.Conv2d(1, 2, ActivationKind.Identity, stride, padding), LayerSpec.Dense(1, ActivationKind.Identity)])
        {
            InputShape = new TensorShape(1, 4, 4),
        };
        var network = new Network<double>(shape);
        Kernel.CopyTo(network.Weights(0));
        network.Biases(0)[0] = Bias;
        Assert.Equal(new TensorShape(1, 3, 3), network.Layers[0].Output);

        NetworkWorkspace<double> workspace = network.CreateWorkspace(1);
        network.Forward(Input, 1, workspace);
        Assert.Equal(expectedZ, workspace.WeightedInputs[0]);

        var gradients = new double[network.ParameterCount];
        var inputError = new double[16];
        network.Layers[0].Backward(new LayerBackward<double>
        {
            Input = Input,
            Error = delta,
            InputError = inputError,
            Parameters = network.Parameters,
            Gradients = gradients,
            Rows = 1,
            Scale = 1,
            Threads = 1,
            ScratchThreads = 1,
            Scratch = workspace.Scratch,
        });

        Assert.Equal(expectedWeightGradients, gradients.AsSpan(network.Layers[0].WeightOffset, 4).ToArray());
        Assert.Equal(expectedBiasGradient, gradients[network.Layers[0].BiasOffset]);
        Assert.Equal(expectedInputError, inputError);
    }
}
