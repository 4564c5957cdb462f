using System.Numerics;
using System.Numerics.Tensors;
using BackpropService.Engine.Randomness;

namespace BackpropService.Engine.Layers;

/// <summary>
/// Inverted dropout: while training, each value is dropped (set to 0) with probability <see cref="LayerSpec.Rate"/>
/// and the kept ones are scaled by 1/(1 − rate), so the expected activation is the input and inference needs no
/// rescaling; at inference, evaluation and validation it is the identity. The mask of a training pass is a hash of the
/// <see cref="DropoutKey"/>, the layer and the element, so it does not depend on threads and is the same after a
/// resume. No parameters and no σ: aˡ = m ⊙ aˡ⁻¹, and δ flows back through the same mask.
/// </summary>
public sealed class DropoutLayer : Layer
{
    internal DropoutLayer(int index, LayerSpec spec, TensorShape input, int weightOffset)
        : base(index, spec, input, weightOffset)
    {
        // P(keep) = P(u ≥ threshold) = 1 − rate for u uniform on 64 bits.
        double threshold = spec.Rate * 18446744073709551616.0; // rate · 2⁶⁴
        DropThreshold = threshold >= 18446744073709551615.0 ? ulong.MaxValue : (ulong)threshold;
    }

    public override int WeightCount => 0;

    public override int BiasCount => 0;

    internal override int MaskLength => Outputs;

    /// <summary>A value whose hash is below this is dropped.</summary>
    private ulong DropThreshold { get; }

    internal override void Forward<T>(scoped in LayerForward<T> step)
    {
        int length = step.Rows * Outputs;
        ReadOnlySpan<T> input = step.Input[..length];
        Span<T> activation = step.Activation[..length];
        if (step.Dropout is not { } key || Spec.Rate == 0)
        {
            input.CopyTo(activation);
            return;
        }

        Span<T> mask = step.Mask[..length];
        WriteMask(key, step.Rows, mask);
        // aˡ = m ⊙ aˡ⁻¹
        TensorPrimitives.Multiply(input, mask, activation);
    }

    // BP2 through dropout: ∂C/∂aˡ⁻¹ = m ⊙ δˡ (the identity when no mask was drawn).
    internal override void Backward<T>(scoped in LayerBackward<T> step)
    {
        if (step.InputError.IsEmpty) return;
        int length = step.Rows * Outputs;
        if (step.Dropout is null || Spec.Rate == 0)
            step.Error[..length].CopyTo(step.InputError);
        else
            TensorPrimitives.Multiply(step.Error[..length], step.Mask[..length], step.InputError[..length]);
    }

    /// <summary>
    /// The mask of a training pass (rows × <see cref="Layer.Outputs"/>, element e = row · outputs + i of the batch):
    /// 0 for a dropped value, 1/(1 − rate) for a kept one. What <see cref="Forward{T}"/> draws, for tests and tools.
    /// </summary>
    public void WriteMask<T>(DropoutKey key, int rows, Span<T> mask) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T kept = T.One / (T.One - T.CreateChecked(Spec.Rate));
        ulong stream = StreamOf(key);
        for (int e = 0; e < rows * Outputs; e++)
            mask[e] = Spec.Rate == 0 || ElementHash(stream, e) >= DropThreshold ? kept : T.Zero;
    }

    /// <summary>One 64-bit stream per run, epoch, batch and layer: SplitMix64's finalizer over each part in turn.</summary>
    private ulong StreamOf(DropoutKey key)
    {
        ulong h = Mix(key.Seed ^ 0xD809_0D70_5EED_0003UL);
        h = Mix(h ^ (ulong)(uint)key.Epoch);
        h = Mix(h ^ ((ulong)(uint)key.Batch << 20));
        return Mix(h ^ ((ulong)(uint)Index << 44));
    }

    private static ulong ElementHash(ulong stream, int element) => Mix(stream + (ulong)(uint)element * 0x9E37_79B9_7F4A_7C15UL);

    private static ulong Mix(ulong value) => SeededRandom.Mix(value);
}
