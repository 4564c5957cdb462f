using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

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
public static unsafe class Convolution
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
        if (typeof(T) == typeof(float) && Gemm.SingleIsAccelerated)
        {
            fixed (T* a = input, w = weights, b = biases, z = output, s = scratch)
                ConvolutionKernel.Forward((float*)a, (float*)w, (float*)b, (float*)z, g, rows, (float*)s, threads);
            return;
        }
        int inputLength = (int)g.Input.Length, outputLength = (int)g.Output.Length;
        int filters = g.Filters, patch = g.PatchLength, positions = g.Positions;
        Span<T> columns = scratch[..(patch * positions)];
        for (int n = 0; n < rows; n++)
        {
            Span<T> z = output.Slice(n * outputLength, outputLength);
            ConvolutionColumns.Gather(input.Slice(n * inputLength, inputLength), columns, g);
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
        if (typeof(T) == typeof(float) && Gemm.SingleIsAccelerated)
        {
            fixed (T* a = input, d = delta, dw = weightGradients, db = biasGradients, s = scratch)
                ConvolutionKernel.Gradients((float*)a, (float*)d, (float*)dw, (float*)db, g, rows, Unsafe.As<T, float>(ref scale), (float*)s, threads);
            return;
        }
        int inputLength = (int)g.Input.Length, outputLength = (int)g.Output.Length;
        int filters = g.Filters, patch = g.PatchLength, positions = g.Positions;
        Span<T> columns = scratch[..(patch * positions)];
        Span<T> weightGradient = weightGradients[..(filters * patch)];
        weightGradient.Clear();
        for (int n = 0; n < rows; n++)
        {
            ConvolutionColumns.Gather(input.Slice(n * inputLength, inputLength), columns, g);
            // BP4: ∂C/∂W += scale · δ_n·X_nᵀ (filters × positions times positions × patch).
            Gemm.MultiplyTransposedB<T>(delta.Slice(n * outputLength, outputLength), columns, weightGradient, filters, patch, positions, scale,
                accumulate: true, threads);
        }
        // BP3: ∂C/∂b_f = scale · Σ over samples and positions of δ_f, in the order of the samples.
        for (int f = 0; f < filters; f++)
        {
            T sum = T.Zero;
            for (int n = 0; n < rows; n++) sum += TensorPrimitives.Sum(delta.Slice(n * outputLength + f * positions, positions));
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
        if (typeof(T) == typeof(float) && Gemm.SingleIsAccelerated)
        {
            fixed (T* d = delta, w = weights, e = inputError, s = scratch)
                ConvolutionKernel.BackpropagateError((float*)d, (float*)w, (float*)e, g, rows, (float*)s, threads);
            return;
        }
        int inputLength = (int)g.Input.Length, outputLength = (int)g.Output.Length;
        int filters = g.Filters, patch = g.PatchLength, positions = g.Positions;
        Span<T> columns = scratch[..(patch * positions)];
        for (int n = 0; n < rows; n++)
        {
            // Wᵀ·δ_n: W is filters × patch, so Wᵀ is its transpose read in place.
            Gemm.MultiplyTransposedA<T>(weights, delta.Slice(n * outputLength, outputLength), columns, patch, positions, filters, T.One,
                accumulate: false, threads);
            ConvolutionColumns.Scatter<T>(columns, inputError.Slice(n * inputLength, inputLength), g);
        }
    }

    /// <summary>
    /// Scratch each call needs, for any of the three: per thread, one sample's im2col matrix (PatchLength × positions) and
    /// its packed copy. Does not depend on <paramref name="rows"/>.
    /// </summary>
    public static int ScratchLength(in ConvolutionGeometry g, int rows, int threads)
    {
        g.Check();
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        long length = Math.Max((long)g.PatchLength * g.Positions, ConvolutionKernel.ScratchPerThread(g) * Math.Min(threads, WorkerTeam.MaxParts));
        if (length > Array.MaxLength) throw new ArgumentException($"convolution of input {g.Input} with {g.Filters} filters of {g.Kernel}x{g.Kernel} needs too much scratch.");
        return (int)length;
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
