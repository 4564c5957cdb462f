using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace BackpropService.Engine.Activations;

/// <summary>σ(z) = 1 / (1 + e^−z), σ'(z) = σ(z)(1 − σ(z)).</summary>
public sealed class SigmoidActivation : Activation
{
    public static readonly SigmoidActivation Instance = new();

    public override ActivationKind Kind => ActivationKind.Sigmoid;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first mini-batch, without waiting for tiered JIT
    public override void Forward<T>(ReadOnlySpan<T> weightedInput, Span<T> activation, int width) =>
        TensorPrimitives.Sigmoid(weightedInput, activation);

    public override void BackpropagateInPlace<T>(ReadOnlySpan<T> weightedInput, ReadOnlySpan<T> activation, Span<T> gradient, int width) =>
        DerivativeKernel.MultiplyInPlace<T, Derivative<T>>(activation, gradient);

    /// <summary>σ' = a(1 − a).</summary>
    private readonly struct Derivative<T> : IDerivativeFromOutput<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static T Of(T activation) => activation * (T.One - activation);

        public static Vector<T> Of(Vector<T> activation) => activation * (Vector<T>.One - activation);
    }
}
