using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using BackpropService.Engine.Activations;
using BackpropService.Engine.LinearAlgebra;

namespace BackpropService.Engine.Layers;

/// <summary>
/// A fully connected layer: zˡ = Wˡ aˡ⁻¹ + bˡ, aˡ = σ(zˡ). In θ its weight matrix Wˡ (row-major,
/// <see cref="Layer.Outputs"/> × <see cref="Layer.Inputs"/>, so row j holds w_jk for every k of layer l − 1) is
/// followed by its biases bˡ. A shaped input (after a convolution or a pool) is read as a flat vector in CHW order.
/// </summary>
public sealed class DenseLayer : Layer
{
    internal DenseLayer(int index, LayerSpec spec, TensorShape input, int weightOffset)
        : base(index, spec, input, weightOffset)
    {
    }

    public override int WeightCount => Inputs * Outputs;

    public override int BiasCount => Outputs;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a hot loop from the first epoch, without waiting for tiered JIT
    internal override void Forward<T>(scoped in LayerForward<T> step)
    {
        int rows = step.Rows, width = Outputs;
        ReadOnlySpan<T> weights = step.Parameters.Slice(WeightOffset, WeightCount);
        ReadOnlySpan<T> biases = step.Parameters.Slice(BiasOffset, BiasCount);
        ReadOnlySpan<T> input = step.Input[..(rows * Inputs)];
        Span<T> weightedInput = step.WeightedInput[..(rows * width)];
        Span<T> activation = step.Activation[..(rows * width)];
        ActivationKind kind = Activation.Kind;

        // zˡ = aˡ⁻¹ · Wˡᵀ + bˡ and aˡ = σ(zˡ) as each element is stored, where a fused kernel exists
        // (ReLU, identity); z is then written only when backpropagation will need it.
        if ((kind is ActivationKind.Relu or ActivationKind.Identity)
            && Gemm.TryForwardFused(input, weights, biases, step.KeepWeightedInput ? weightedInput : default,
                activation, relu: kind == ActivationKind.Relu, rows, width, Inputs, step.Threads))
            return;

        // zˡ = aˡ⁻¹ · Wˡᵀ + bˡ (one row per sample; the bias is added as each element of z is stored)
        Gemm.MultiplyTransposedB(input, weights, biases, weightedInput, rows, width, Inputs, T.One, accumulate: false, step.Threads);

        // aˡ = σ(zˡ)
        Activation.Forward<T>(weightedInput, activation, width);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a hot loop from the first epoch, without waiting for tiered JIT
    internal override void Backward<T>(scoped in LayerBackward<T> step)
    {
        int rows = step.Rows, width = Outputs;
        ReadOnlySpan<T> error = step.Error[..(rows * width)];

        // BP3: ∂C/∂b_j = δ_j, summed over the batch rows and scaled (1/m for the mean).
        Span<T> biasGradients = step.Gradients.Slice(BiasOffset, BiasCount);
        biasGradients.Clear();
        for (int row = 0; row < rows; row++)
            TensorPrimitives.Add(biasGradients, error.Slice(row * width, width), biasGradients);
        TensorPrimitives.Multiply(biasGradients, step.Scale, biasGradients);

        // BP4: ∂C/∂w_jk = a_k^(l−1) δ_j, for the batch (1/m)·δᵀ·aˡ⁻¹.
        Span<T> weightGradients = step.Gradients.Slice(WeightOffset, WeightCount);
        Gemm.MultiplyTransposedA(error, step.Input[..(rows * Inputs)], weightGradients, width, Inputs, rows, step.Scale, accumulate: false, step.Threads);

        // BP2 before σ′: ∂C/∂aˡ⁻¹ = Wˡᵀ δˡ, for the batch δˡ·Wˡ.
        if (!step.InputError.IsEmpty)
            Gemm.Multiply(error, step.Parameters.Slice(WeightOffset, WeightCount), step.InputError[..(rows * Inputs)], rows, Inputs, width, T.One, accumulate: false, step.Threads);
    }
}
