using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace BackpropService.Engine.Activations;

/// <summary>σ(z) = tanh z, σ'(z) = 1 − tanh² z.</summary>
public sealed class TanhActivation : Activation
{
    public static readonly TanhActivation Instance = new();

    public override ActivationKind Kind => ActivationKind.Tanh;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first mini-batch, without waiting for tiered JIT
    public override void Forward<T>(ReadOnlySpan<T> weightedInput, Span<T> activation, int width) =>
        TensorPrimitives.Tanh(weightedInput, activation);

    public override void BackpropagateInPlace<T>(ReadOnlySpan<T> weightedInput, ReadOnlySpan<T> activation, Span<T> gradient, int width) =>
        DerivativeKernel.MultiplyInPlace<T, Derivative<T>>(activation, gradient);

    /// <summary>σ' = 1 − a².</summary>
    private readonly struct Derivative<T> : IDerivativeFromOutput<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static T Of(T activation) => T.One - activation * activation;

        public static Vector<T> Of(Vector<T> activation) => Vector<T>.One - activation * activation;
    }
}
