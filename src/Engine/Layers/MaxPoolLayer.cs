using System.Numerics;
using BackpropService.Engine.LinearAlgebra;

namespace BackpropService.Engine.Layers;

/// <summary>
/// Max over non-overlapping <see cref="LayerSpec.PoolSize"/> × <see cref="LayerSpec.PoolSize"/> windows of each
/// channel. No parameters and no σ: aˡ is the max, and δ flows back only to the input value that won each window (the
/// derivative of max is 1 for the winner, 0 for the others). The loops are <see cref="MaxPooling"/>'s.
/// </summary>
public sealed class MaxPoolLayer : Layer
{
    internal MaxPoolLayer(int index, LayerSpec spec, TensorShape input, int weightOffset)
        : base(index, spec, input, weightOffset)
    {
    }

    public override int WeightCount => 0;

    public override int BiasCount => 0;

    internal override int WinnerLength => Outputs;

    internal override void Forward<T>(scoped in LayerForward<T> step) =>
        SampleBands.PoolForward(step.Input[..(step.Rows * Inputs)], step.Activation[..(step.Rows * Outputs)], step.Winners[..(step.Rows * Outputs)],
            Input, Spec.PoolSize, step.Rows, step.Threads);

    // BP2 through the pool: each window's δ goes to its winner, the rest of the window gets 0.
    internal override void Backward<T>(scoped in LayerBackward<T> step)
    {
        if (step.InputError.IsEmpty) return;
        SampleBands.PoolBackward(step.Error[..(step.Rows * Outputs)], step.Winners[..(step.Rows * Outputs)], step.InputError[..(step.Rows * Inputs)],
            Input, Spec.PoolSize, step.Rows, step.Threads);
    }
}
