using System.Numerics;
using System.Runtime.CompilerServices;
using BackpropService.Engine.LinearAlgebra;

namespace BackpropService.Engine.Layers;

/// <summary>
/// A 2-D convolution: zˡ = Wˡ ⋆ aˡ⁻¹ + bˡ (a cross-correlation of the zero-padded input with each of the
/// <see cref="LayerSpec.Filters"/> kernels, moved by the stride), aˡ = σ(zˡ). The four equations carry over with the
/// convolution in place of the matrix product: the weight gradient is the correlation of the input with δ, and δ flows
/// back through a "full" convolution with the flipped kernels. In θ: W (filters × C_in × K × K, ONNX's OIHW), then b.
/// The loops are <see cref="Convolution"/>'s.
/// </summary>
public sealed class Conv2dLayer : Layer
{
    internal Conv2dLayer(int index, LayerSpec spec, TensorShape input, int weightOffset)
        : base(index, spec, input, weightOffset)
    {
        Geometry = new ConvolutionGeometry(input, spec.Filters, spec.Kernel, spec.Stride, spec.Padding);
    }

    public ConvolutionGeometry Geometry { get; }

    public override int WeightCount => Spec.Filters * Geometry.PatchLength;

    public override int BiasCount => Spec.Filters;

    /// <summary>C_in · K²: the input values under one kernel.</summary>
    public override int FanIn => Geometry.PatchLength;

    /// <summary>filters · K²: the outputs one input value reaches (Xavier's count, as PyTorch and Keras take it).</summary>
    public override int FanOut => Spec.Filters * Spec.Kernel * Spec.Kernel;

    internal override long ScratchLength(int rows, int threads) => Convolution.ScratchLength(Geometry, rows, threads);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a hot loop from the first epoch, without waiting for tiered JIT
    internal override void Forward<T>(scoped in LayerForward<T> step)
    {
        int rows = step.Rows, width = Outputs;
        Span<T> weightedInput = step.WeightedInput[..(rows * width)];

        // zˡ = Wˡ ⋆ aˡ⁻¹ + bˡ
        Convolution.Forward(step.Input[..(rows * Inputs)], step.Parameters.Slice(WeightOffset, WeightCount),
            step.Parameters.Slice(BiasOffset, BiasCount), weightedInput, Geometry, rows, step.Scratch, Math.Min(step.Threads, step.ScratchThreads));

        // aˡ = σ(zˡ)
        SampleBands.ActivationForward(Activation, weightedInput, step.Activation, width, rows, step.Threads);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a hot loop from the first epoch, without waiting for tiered JIT
    internal override void Backward<T>(scoped in LayerBackward<T> step)
    {
        int rows = step.Rows, threads = Math.Min(step.Threads, step.ScratchThreads);
        ReadOnlySpan<T> error = step.Error[..(rows * Outputs)];

        // BP3: ∂C/∂b_f = Σ over positions of δ_f; BP4: ∂C/∂w_fcij = Σ over positions of a^(l−1) at the position moved by
        // (i, j) in channel c times δ_f there (the correlation of the input with δ); both summed over rows and scaled.
        Convolution.Gradients(step.Input[..(rows * Inputs)], error, step.Gradients.Slice(WeightOffset, WeightCount),
            step.Gradients.Slice(BiasOffset, BiasCount), Geometry, rows, step.Scale, step.Scratch, threads);

        // BP2 before σ′: ∂C/∂aˡ⁻¹ = the "full" convolution of δˡ with the flipped kernels (Wˡᵀ δˡ of the dense layer).
        if (!step.InputError.IsEmpty)
            Convolution.BackpropagateError(error, step.Parameters.Slice(WeightOffset, WeightCount), step.InputError[..(rows * Inputs)],
                Geometry, rows, step.Scratch, threads);
    }
}
