using System.Numerics;
using BackpropService.Engine.LinearAlgebra;

namespace BackpropService.Engine.Tests.LinearAlgebra;

/// <summary>
/// Every form of <see cref="Gemm"/> against a naive triple loop (in double), on sizes that hit every edge of
/// the register tiles and cache blocks, and the same bits whatever the thread count.
/// </summary>
public sealed class GemmTests
{
    public enum Form { Plain, TransposedA, TransposedB, TransposedBWithBias }

    public static TheoryData<Form, int, int, int> Shapes()
    {
        var data = new TheoryData<Form, int, int, int>();
        (int M, int N, int K)[] shapes =
        [
            (1, 1, 1), (1, 7, 33), (7, 1, 5), (7, 7, 7), (33, 17, 9), (6, 16, 8), (13, 35, 257),
            (257, 33, 7), (2, 257, 300), (16, 5, 784), (40, 70, 600), (1, 30, 784), (10, 30, 784),
            // the outer-product kernel: 64- and 16-column slivers, whole and partial 6-row panels, no k blocking
            (16, 64, 1), (17, 65, 33), (23, 130, 784), (16, 10, 128), (31, 200, 300), (100, 256, 1030), (12, 64, 3),
            // BP2 and BP4 of W1 (784-30-10, batch 10) and W2 (784-256-128-10, batch 64) with m < 16 or k < 32, a
            // full-batch BP4 with k > 256, and k = 0 (C = 0, or C unchanged when accumulating, plus the bias)
            (10, 30, 10), (30, 784, 10), (64, 128, 10), (10, 128, 64), (10, 30, 1000), (5, 9, 0), (20, 70, 0),
            // split among threads by columns (C at least as wide as tall), each part packing its own slivers: ragged
            // bands, a last band that ends in 16-column slivers, one row panel short
            (37, 200, 300), (50, 145, 400), (23, 130, 784),
        ];
        foreach (Form form in Enum.GetValues<Form>())
            foreach ((int m, int n, int k) in shapes) data.Add(form, m, n, k);
        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Float_products_match_a_naive_triple_loop(Form form, int m, int n, int k) => Check<float>(form, m, n, k, 1e-4);

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Double_products_match_a_naive_triple_loop(Form form, int m, int n, int k) => Check<double>(form, m, n, k, 1e-12);

    [Theory]
    [InlineData(Form.Plain)]
    [InlineData(Form.TransposedA)]
    [InlineData(Form.TransposedB)]
    [InlineData(Form.TransposedBWithBias)]
    public void Results_are_the_same_bits_on_one_and_two_threads(Form form)
    {
        // Big enough to be split across threads (≥ 2²⁰ multiply-adds), with ragged edges; then W2's mini-batch products
        // (forward, BP4 and BP2 of 784-256-128-10 at batch 64), split by columns, and odd sizes split either way.
        foreach ((int m, int n, int k) in new[]
                 {
                     (131, 257, 300), (64, 784, 256), (9, 1030, 200), (260, 12, 1000),
                     (64, 256, 784), (64, 128, 256), (256, 784, 64), (128, 256, 64), (64, 256, 128), (50, 145, 400), (145, 145, 77), (301, 137, 55),
                 })
        {
            foreach (bool accumulate in new[] { false, true })
            {
                float[] one = Run<float>(form, m, n, k, 0.5f, accumulate, threads: 1, seed: m + n + k).C;
                float[] two = Run<float>(form, m, n, k, 0.5f, accumulate, threads: 2, seed: m + n + k).C;
                Assert.Equal(one, two);
            }
        }
    }

    [Fact]
    public void Mini_batch_products_are_shared_by_columns_BP4_by_neurons_and_tall_ones_by_rows()
    {
        // Columns: each part packs and reads only its share of B, so one hand-off per product (W2 at batch 64).
        Assert.Equal(ProductSplit.Columns, ProductPartition.SplitOf(64, 256, 6, 64, 2, transposeA: false));  // forward, 784-256
        Assert.Equal(ProductSplit.Columns, ProductPartition.SplitOf(64, 256, 6, 64, 2, transposeA: false));  // BP2, 256-128
        // BP4 by the neurons (rows of ∂W) each thread computes forward and updates, in whole grains of 64.
        Assert.Equal(ProductSplit.NeuronRows, ProductPartition.SplitOf(256, 784, 6, 64, 2, transposeA: true)); // BP4, 784-256
        Assert.Equal(ProductSplit.NeuronRows, ProductPartition.SplitOf(128, 256, 6, 64, 2, transposeA: true)); // BP4, 256-128
        Assert.Equal(ProductSplit.Columns, ProductPartition.SplitOf(100, 640, 6, 64, 2, transposeA: true));    // BP4, 640-100: not a grain per part
        // Rows: inference over a large batch, square products, and too few columns for every part.
        Assert.Equal(ProductSplit.Rows, ProductPartition.SplitOf(2000, 256, 6, 64, 2, transposeA: false));
        Assert.Equal(ProductSplit.Rows, ProductPartition.SplitOf(1024, 1024, 6, 64, 2, transposeA: false));
        Assert.Equal(ProductSplit.Rows, ProductPartition.SplitOf(32, 100, 6, 64, 2, transposeA: false));
    }

    [Theory]
    [InlineData(Form.Plain)]
    [InlineData(Form.TransposedA)]
    [InlineData(Form.TransposedB)]
    [InlineData(Form.TransposedBWithBias)]
    public void Results_are_the_same_bits_with_and_without_AVX_512(Form form)
    {
        // Where the processor has no AVX-512 both runs take the AVX2 kernels, and the test holds trivially.
        foreach ((int m, int n, int k) in new[] { (10, 30, 10), (30, 784, 10), (23, 130, 784), (131, 257, 300), (64, 100, 17) })
        {
            foreach (bool accumulate in new[] { false, true })
            {
                float[] wide = Run<float>(form, m, n, k, 0.5f, accumulate, threads: 2, seed: m + n + k).C;
                float[] narrow;
                Gemm.AllowAvx512 = false;
                try
                {
                    narrow = Run<float>(form, m, n, k, 0.5f, accumulate, threads: 2, seed: m + n + k).C;
                }
                finally
                {
                    Gemm.AllowAvx512 = true;
                }
                Assert.Equal(wide, narrow);
            }
        }
    }

    [Theory]
    [InlineData(false, 1)]
    [InlineData(true, 1)]
    [InlineData(false, 2)]
    [InlineData(true, 2)]
    public void Fused_forward_gives_the_bits_of_the_product_then_the_activation(bool relu, int threads)
    {
        foreach ((int m, int n, int k) in new[] { (16, 10, 128), (23, 130, 784), (64, 256, 784), (131, 257, 300), (2000, 33, 20) })
        {
            (float[] a, float[] w, float[] bias) = (Random<float>(m * k, m), Random<float>(n * k, n), Random<float>(n, k));
            var expectedZ = new float[m * n];
            Gemm.MultiplyTransposedB<float>(a, w, bias, expectedZ, m, n, k, 1f, accumulate: false);
            float[] expectedA = relu ? expectedZ.Select(z => MathF.Max(z, 0f)).ToArray() : expectedZ;
            var z = new float[m * n];
            var activation = new float[m * n];
            Assert.True(Gemm.TryForwardFused<float>(a, w, bias, z, activation, relu, m, n, k, threads));
            Assert.Equal(expectedZ, z);
            Assert.Equal(expectedA, activation);
            var activationOnly = new float[m * n];
            Assert.True(Gemm.TryForwardFused<float>(a, w, bias, default, activationOnly, relu, m, n, k, threads));
            Assert.Equal(expectedA, activationOnly);
        }
    }

    [Fact]
    public void Infer_gives_the_outputs_of_Forward()
    {
        var network = new Network<float>(784, [new LayerSpec(256, Activations.ActivationKind.Relu), new LayerSpec(128, Activations.ActivationKind.Relu),
            new LayerSpec(10, Activations.ActivationKind.Softmax)]) { Threads = 2 };
        float[] parameters = Random<float>(network.ParameterCount, 5);
        parameters.CopyTo(network.Parameters, 0);
        float[] inputs = Random<float>(100 * 784, 6);
        NetworkWorkspace<float> workspace = network.CreateWorkspace(100);
        network.Forward(inputs, 100, workspace);
        float[] forward = workspace.Output.ToArray();
        float[] infer = network.Infer(inputs, 100, network.CreateWorkspace(100)).ToArray();
        Assert.Equal(forward, infer);
    }

    [Fact]
    public void One_row_gives_the_same_bits_as_the_same_row_inside_a_small_batch()
    {
        // Network.Predict (one sample) and Network.Forward on a mini-batch below the packing threshold share a kernel.
        const int n = 30, k = 784;
        (float[] a, float[] b, float[] bias) = (Random<float>(3 * k, 1), Random<float>(n * k, 2), Random<float>(n, 3));
        var batch = new float[3 * n];
        Gemm.MultiplyTransposedB<float>(a, b, bias, batch, 3, n, k, 1f, accumulate: false);
        var single = new float[n];
        Gemm.MultiplyTransposedB<float>(a.AsSpan(k, k), b, bias, single, 1, n, k, 1f, accumulate: false);
        Assert.Equal(batch.AsSpan(n, n).ToArray(), single);
    }

    private static void Check<T>(Form form, int m, int n, int k, double tolerance) where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (bool accumulate in new[] { false, true })
        {
            foreach (double alpha in new[] { 1.0, -0.75 })
            {
                (T[] c, double[] expected) = Run<T>(form, m, n, k, T.CreateChecked(alpha), accumulate, threads: 2, seed: m * 31 + n * 7 + k);
                for (int i = 0; i < expected.Length; i++)
                {
                    double actual = double.CreateChecked(c[i]);
                    Assert.True(Math.Abs(actual - expected[i]) <= tolerance * (1 + Math.Abs(expected[i])) * Math.Sqrt(Math.Max(k, 1)),
                        $"{form} {m}×{n}×{k} α={alpha} accumulate={accumulate}: C[{i / n},{i % n}] = {actual}, expected {expected[i]}");
                }
            }
        }
    }

    /// <summary>Runs one product and the naive reference: C = α·op(A)·op(B) (+ C₀) (+ bias).</summary>
    private static (T[] C, double[] Expected) Run<T>(Form form, int m, int n, int k, T alpha, bool accumulate, int threads, int seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] a = Random<T>(m * k, seed), b = Random<T>(k * n, seed + 1), c = Random<T>(m * n, seed + 2), bias = Random<T>(n, seed + 3);
        var expected = new double[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int p = 0; p < k; p++)
                {
                    T left = form == Form.TransposedA ? a[p * m + i] : a[i * k + p];
                    T right = form is Form.TransposedB or Form.TransposedBWithBias ? b[j * k + p] : b[p * n + j];
                    sum += double.CreateChecked(left) * double.CreateChecked(right);
                }
                double value = double.CreateChecked(alpha) * sum;
                if (accumulate) value += double.CreateChecked(c[i * n + j]);
                if (form == Form.TransposedBWithBias) value += double.CreateChecked(bias[j]);
                expected[i * n + j] = value;
            }
        }

        switch (form)
        {
            case Form.Plain: Gemm.Multiply<T>(a, b, c, m, n, k, alpha, accumulate, threads); break;
            case Form.TransposedA: Gemm.MultiplyTransposedA<T>(a, b, c, m, n, k, alpha, accumulate, threads); break;
            case Form.TransposedB: Gemm.MultiplyTransposedB<T>(a, b, c, m, n, k, alpha, accumulate, threads); break;
            default: Gemm.MultiplyTransposedB<T>(a, b, bias, c, m, n, k, alpha, accumulate, threads); break;
        }
        return (c, expected);
    }

    private static T[] Random<T>(int length, int seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        var values = new T[length];
        for (int i = 0; i < length; i++) values[i] = T.CreateChecked(random.NextDouble() * 2 - 1);
        return values;
    }
}
