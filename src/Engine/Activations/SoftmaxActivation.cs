using System.Numerics;
using System.Runtime.CompilerServices;
using System.Numerics.Tensors;

namespace BackpropService.Engine.Activations;

/// <summary>
/// a_j = e^(z_j) / Σ_k e^(z_k), per row. Computed as e^(z_j − max z) so that large weighted inputs cannot
/// overflow. Its Jacobian is ∂a_j/∂z_i = a_j(δ_ij − a_i).
/// </summary>
public sealed class SoftmaxActivation : Activation
{
    public static readonly SoftmaxActivation Instance = new();

    public override ActivationKind Kind => ActivationKind.Softmax;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first mini-batch, without waiting for tiered JIT
    public override void Forward<T>(ReadOnlySpan<T> weightedInput, Span<T> activation, int width)
    {
        for (int row = 0; row < weightedInput.Length; row += width)
        {
            ReadOnlySpan<T> z = weightedInput.Slice(row, width);
            Span<T> a = activation.Slice(row, width);
            T max = TensorPrimitives.Max(z);
            TensorPrimitives.Subtract(z, max, a);
            TensorPrimitives.Exp(a, a);
            T sum = TensorPrimitives.Sum<T>(a);
            TensorPrimitives.Divide(a, sum, a);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first mini-batch, without waiting for tiered JIT
    public override void BackpropagateInPlace<T>(ReadOnlySpan<T> weightedInput, ReadOnlySpan<T> activation, Span<T> gradient, int width)
    {
        // ∂C/∂z_i = Σ_j ∂C/∂a_j · a_j(δ_ij − a_i) = a_i (∂C/∂a_i − Σ_j ∂C/∂a_j a_j)
        for (int row = 0; row < gradient.Length; row += width)
        {
            ReadOnlySpan<T> a = activation.Slice(row, width);
            Span<T> g = gradient.Slice(row, width);
            T weightedSum = TensorPrimitives.Dot(g, a);
            for (int i = 0; i < width; i++) g[i] = a[i] * (g[i] - weightedSum);
        }
    }
}
