using System.Numerics;

namespace BackpropService.Engine.LinearAlgebra;

/// <summary>
/// The three products a convolutional layer needs, for a mini-batch: the forward pass z = W ⋆ a + b, the weight and
/// bias gradients (BP4, BP3) and the error sent back to the input (BP2 before σ′). Samples are rows of
/// <c>Input.Length</c> or <c>Output.Length</c> values in CHW order; weights are <c>Filters × PatchLength</c> (OIHW).
/// <para>
/// Each product is a matrix product on the sample's im2col matrix X (PatchLength × positions; column p holds the input
/// values under the kernel at position p, zeros where it overhangs the padding): z = W·X + b, ∂C/∂W = Σ δ·Xᵀ, and
/// ∂C/∂X = Wᵀ·δ, folded back onto the input (col2im). The sums run in the same order whatever
/// <c>threads</c> is, so results are bit-identical across thread counts.
/// </para>
/// </summary>
public static class Convolution
{
    /// <summary>
    /// z = W ⋆ a + b for <paramref name="rows"/> samples: z[f, y, x] = b_f + Σ_{c,ky,kx} W[f, c, ky, kx] · a[c, y·S + ky − P, x·S + kx − P]
    /// (a = 0 outside the input). Overwrites <paramref name="output"/> (rows × Output.Length).
    /// </summary>
    public static void Forward<T>(ReadOnlySpan<T> input, ReadOnlySpan<T> weights, ReadOnlySpan<T> biases, Span<T> output,
        in ConvolutionGeometry g, int rows, Span<T> scratch, int threads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckSizes(g, rows, threads, scratch.Length);
        Need(input.Length, rows * g.Input.Length, nameof(input));
        Need(weights.Length, (long)g.Filters * g.PatchLength, nameof(weights));
        Need(biases.Length, g.Filters, nameof(biases));
        Need(output.Length, rows * g.Output.Length, nameof(output));
        int inputLength = (int)g.Input.Length, outputLength = (int)g.Output.Length;
        int filters = g.Filters, patch = g.PatchLength, positions = g.Positions;
        Span<T> columns = scratch[..(patch * positions)];
        for (int n = 0; n < rows; n++)
        {
            Span<T> z = output.Slice(n * outputLength, outputLength);
            ToColumns(input.Slice(n * inputLength, inputLength), columns, g);
            // z_f starts at b_f, and the product adds W·X to it (the kernel's bias runs along columns, ours along rows).
            for (int f = 0; f < filters; f++) z.Slice(f * positions, positions).Fill(biases[f]);
            Gemm.Multiply<T>(weights, columns, z, filters, positions, patch, T.One, accumulate: true, threads);
        }
    }

    /// <summary>
    /// BP4 and BP3 for a mini-batch: ∂C/∂W[f, c, ky, kx] = scale · Σ_rows Σ_{y,x} δ[f, y, x] · a[c, y·S + ky − P, x·S + kx − P]
    /// (δ correlated with a), ∂C/∂b_f = scale · Σ_rows Σ_{y,x} δ[f, y, x]. The batch is summed sample by sample in order
    /// whatever the thread count. Overwrites both.
    /// </summary>
    public static void Gradients<T>(ReadOnlySpan<T> input, ReadOnlySpan<T> delta, Span<T> weightGradients, Span<T> biasGradients,
        in ConvolutionGeometry g, int rows, T scale, Span<T> scratch, int threads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckSizes(g, rows, threads, scratch.Length);
        Need(input.Length, rows * g.Input.Length, nameof(input));
        Need(delta.Length, rows * g.Output.Length, nameof(delta));
        Need(weightGradients.Length, (long)g.Filters * g.PatchLength, nameof(weightGradients));
        Need(biasGradients.Length, g.Filters, nameof(biasGradients));
        int inputLength = (int)g.Input.Length, outputLength = (int)g.Output.Length;
        int filters = g.Filters, patch = g.PatchLength, positions = g.Positions;
        Span<T> columns = scratch[..(patch * positions)];
        Span<T> weightGradient = weightGradients[..(filters * patch)];
        weightGradient.Clear();
        for (int n = 0; n < rows; n++)
        {
            ToColumns(input.Slice(n * inputLength, inputLength), columns, g);
            // BP4: ∂C/∂W += scale · δ_n·X_nᵀ (filters × positions times positions × patch).
            Gemm.MultiplyTransposedB<T>(delta.Slice(n * outputLength, outputLength), columns, weightGradient, filters, patch, positions, scale,
                accumulate: true, threads);
        }
        // BP3: ∂C/∂b_f = scale · Σ over samples and positions of δ_f, in the order of the samples.
        for (int f = 0; f < filters; f++)
        {
            T sum = T.Zero;
            for (int n = 0; n < rows; n++)
            {
                ReadOnlySpan<T> map = delta.Slice(n * outputLength + f * positions, positions);
                for (int p = 0; p < map.Length; p++) sum += map[p];
            }
            biasGradients[f] = scale * sum;
        }
    }

    /// <summary>
    /// BP2 before σ′: the error at the input, ∂C/∂a[c, i, j] = Σ_{f,ky,kx} W[f, c, ky, kx] · δ[f, y, x] over the positions
    /// (y, x) whose window puts (ky, kx) on (i, j): the "full" convolution of δ with the flipped kernels, computed as
    /// Wᵀ·δ (patch × positions) folded back onto the input. Overwrites <paramref name="inputError"/> (rows × Input.Length).
    /// </summary>
    public static void BackpropagateError<T>(ReadOnlySpan<T> delta, ReadOnlySpan<T> weights, Span<T> inputError,
        in ConvolutionGeometry g, int rows, Span<T> scratch, int threads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckSizes(g, rows, threads, scratch.Length);
        Need(delta.Length, rows * g.Output.Length, nameof(delta));
        Need(weights.Length, (long)g.Filters * g.PatchLength, nameof(weights));
        Need(inputError.Length, rows * g.Input.Length, nameof(inputError));
        int inputLength = (int)g.Input.Length, outputLength = (int)g.Output.Length;
        int filters = g.Filters, patch = g.PatchLength, positions = g.Positions;
        Span<T> columns = scratch[..(patch * positions)];
        for (int n = 0; n < rows; n++)
        {
            // Wᵀ·δ_n: W is filters × patch, so Wᵀ is its transpose read in place.
            Gemm.MultiplyTransposedA<T>(weights, delta.Slice(n * outputLength, outputLength), columns, patch, positions, filters, T.One,
                accumulate: false, threads);
            FromColumns(columns, inputError.Slice(n * inputLength, inputLength), g);
        }
    }

    /// <summary>Scratch each call needs: one sample's im2col matrix (PatchLength × positions).</summary>
    public static int ScratchLength(in ConvolutionGeometry g, int rows, int threads)
    {
        g.Check();
        return g.PatchLength * g.Positions;
    }

    /// <summary>X[q, p] for q = (c·K + ky)·K + kx and p = y·W_out + x: the input under the kernel, 0 in the padding.</summary>
    private static void ToColumns<T>(ReadOnlySpan<T> sample, Span<T> columns, in ConvolutionGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        TensorShape input = g.Input, output = g.Output;
        int k = g.Kernel, stride = g.Stride, padding = g.Padding, positions = output.Height * output.Width;
        for (int c = 0, q = 0; c < input.Channels; c++)
        {
            for (int ky = 0; ky < k; ky++)
            {
                for (int kx = 0; kx < k; kx++, q++)
                {
                    Span<T> row = columns.Slice(q * positions, positions);
                    for (int y = 0, p = 0; y < output.Height; y++)
                    {
                        int iy = y * stride + ky - padding;
                        for (int x = 0; x < output.Width; x++, p++)
                        {
                            int ix = x * stride + kx - padding;
                            row[p] = iy >= 0 && iy < input.Height && ix >= 0 && ix < input.Width ? sample[(c * input.Height + iy) * input.Width + ix] : T.Zero;
                        }
                    }
                }
            }
        }
    }

    /// <summary>The inverse fold of <see cref="ToColumns{T}"/>: each input value gets the sum of the entries of X that read it, in the order of q then p.</summary>
    private static void FromColumns<T>(ReadOnlySpan<T> columns, Span<T> sample, in ConvolutionGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        TensorShape input = g.Input, output = g.Output;
        int k = g.Kernel, stride = g.Stride, padding = g.Padding, positions = output.Height * output.Width;
        sample.Clear();
        for (int c = 0, q = 0; c < input.Channels; c++)
        {
            for (int ky = 0; ky < k; ky++)
            {
                for (int kx = 0; kx < k; kx++, q++)
                {
                    ReadOnlySpan<T> row = columns.Slice(q * positions, positions);
                    for (int y = 0, p = 0; y < output.Height; y++)
                    {
                        int iy = y * stride + ky - padding;
                        for (int x = 0; x < output.Width; x++, p++)
                        {
                            int ix = x * stride + kx - padding;
                            if (iy >= 0 && iy < input.Height && ix >= 0 && ix < input.Width) sample[(c * input.Height + iy) * input.Width + ix] += row[p];
                        }
                    }
                }
            }
        }
    }

    private static void CheckSizes(in ConvolutionGeometry g, int rows, int threads, int scratchLength)
    {
        g.Check();
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        Need(scratchLength, ScratchLength(g, rows, threads), "scratch");
    }

    private static void Need(int length, long needed, string name)
    {
        if (length < needed) throw new ArgumentException($"{name} holds {length} values, needs {needed}.", name);
    }
}
