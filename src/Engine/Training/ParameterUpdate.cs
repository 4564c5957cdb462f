using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using BackpropService.Engine.Layers;
using BackpropService.Engine.LinearAlgebra;
using BackpropService.Engine.Optimizers;

namespace BackpropService.Engine.Training;

/// <summary>
/// The end of a training step, once backprop has written ∂C/∂θ: each weighted layer's ‖∂C/∂Wˡ‖ (the data cost's, as
/// reported, so before the penalty), the penalty's gradient, and the optimizer's update of θ, in one pass over each
/// piece of θ while it is in cache.
/// <para>
/// With several threads the pass runs on the <see cref="WorkerTeam"/>, each thread taking the same band of every
/// layer's neurons (rows of Wˡ and their biases, <see cref="ProductPartition.Band"/> in grains of
/// <see cref="RowGrain"/>) that the mini-batch's products give it as columns of z = a·Wᵀ: a thread then updates the
/// weights, gradients and optimizer state it already holds, and they stay in its core's cache from one mini-batch to
/// the next instead of crossing to the other core twice per step.
/// </para>
/// <para>
/// Bit-identical for any thread count: each parameter's penalty and update are its own, and each norm is summed from
/// fixed chunks of <see cref="RowGrain"/> rows, each by the same loop, added in order. Nothing is allocated per step.
/// </para>
/// </summary>
internal sealed unsafe class ParameterUpdate : ParallelWork
{
    /// <summary>Rows of Wˡ per chunk (a norm's unit of summation) and the grain of the threads' bands: the products' band of neurons.</summary>
    public const int RowGrain = ProductPartition.NeuronGrain;

    /// <summary>Networks with fewer parameters than this per thread are updated on the calling thread alone (a hand-off costs a few µs).</summary>
    private const int MinParametersPerThread = 32 * 1024;

    private readonly Layer[] _weightedLayers;

    /// <summary>Where each weighted layer's chunks start in <see cref="_chunkSums"/>, and after the last layer's, its length.</summary>
    private readonly int[] _firstChunk;

    /// <summary>Σ g² of each chunk of rows of ∂C/∂Wˡ, this step.</summary>
    private readonly double[] _chunkSums;

    private readonly Optimizer _optimizer;
    private readonly Regularization _regularization;
    private readonly int _parts;

    // The step under way (set by Run, pinned only during it).
    private float* _parameters, _gradients;
    private float _learningRate;

    public ParameterUpdate(Network<float> network, Optimizer optimizer, Regularization regularization, int threads)
    {
        _weightedLayers = network.Layers.Where(l => l.HasWeights).ToArray();
        _firstChunk = new int[_weightedLayers.Length + 1];
        for (int w = 0; w < _weightedLayers.Length; w++)
            _firstChunk[w + 1] = _firstChunk[w] + (_weightedLayers[w].BiasCount + RowGrain - 1) / RowGrain; // a chunk per RowGrain neurons
        _chunkSums = new double[_firstChunk[^1]];
        _optimizer = optimizer;
        _regularization = regularization;
        _parts = Math.Clamp(Math.Min(threads, network.ParameterCount / MinParametersPerThread), 1, WorkerTeam.MaxParts);
    }

    /// <summary>
    /// Updates <paramref name="parameters"/> from <paramref name="gradients"/> (which gets the penalty's term added) with
    /// learning rate η, and adds each weighted layer's ‖∂C/∂Wˡ‖ before the penalty to <paramref name="gradientNormSums"/>.
    /// </summary>
    public void Run(Span<float> parameters, Span<float> gradients, float learningRate, Span<double> gradientNormSums)
    {
        if (gradients.Length != parameters.Length) throw new ArgumentException($"gradients hold {gradients.Length} values, θ {parameters.Length}.", nameof(gradients));
        if (gradientNormSums.Length != _weightedLayers.Length)
            throw new ArgumentException($"{_weightedLayers.Length} layers have weights, not {gradientNormSums.Length}.", nameof(gradientNormSums));

        _optimizer.BeginStep();
        fixed (float* theta = parameters, gradient = gradients)
        {
            _parameters = theta;
            _gradients = gradient;
            _learningRate = learningRate;
            try
            {
                WorkerTeam.Run(this, _parts);
            }
            finally
            {
                _parameters = null; // the arrays are pinned only during the step
                _gradients = null;
            }
        }

        for (int w = 0; w < _weightedLayers.Length; w++)
        {
            double sum = 0;
            for (int c = _firstChunk[w]; c < _firstChunk[w + 1]; c++) sum += _chunkSums[c];
            gradientNormSums[w] += Math.Sqrt(sum);
        }
    }

    /// <summary>Every weighted layer's neurons in band <paramref name="part"/>: their rows of Wˡ, chunk by chunk, then their biases.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Execute(int part, int parts)
    {
        for (int w = 0; w < _weightedLayers.Length; w++)
        {
            Layer layer = _weightedLayers[w];
            int rows = layer.BiasCount, rowLength = layer.WeightCount / rows; // dense: a neuron's inputs; conv2d: a filter's C·K²
            (int start, int end) = ProductPartition.Band(rows, RowGrain, part, parts);
            for (int row = start; row < end; row += RowGrain)
            {
                int offset = layer.WeightOffset + row * rowLength, length = Math.Min(RowGrain, end - row) * rowLength;
                Span<float> weights = new(_parameters + offset, length);
                Span<float> gradients = new(_gradients + offset, length);
                _chunkSums[_firstChunk[w] + row / RowGrain] = SumOfSquares(gradients);
                _regularization.AddGradient<float>(weights, gradients);
                _optimizer.Update(weights, gradients, offset, _learningRate);
            }
            if (end > start)
            {
                int offset = layer.BiasOffset + start; // biases are not penalised
                _optimizer.Update(new Span<float>(_parameters + offset, end - start), new ReadOnlySpan<float>(_gradients + offset, end - start), offset, _learningRate);
            }
        }
    }

    /// <summary>Σ v² in a fixed order (four vectors of lanes, then the lanes and the tail in turn), whatever the span's address.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double SumOfSquares(ReadOnlySpan<float> values)
    {
        const int width = 8; // Vector256<float>.Count
        Vector256<float> lanes0 = Vector256<float>.Zero, lanes1 = lanes0, lanes2 = lanes0, lanes3 = lanes0;
        fixed (float* start = values)
        {
            float* v = start;
            int i = 0;
            // Four independent sums, so the adds do not wait on each other.
            for (; i + 4 * width <= values.Length; i += 4 * width, v += 4 * width)
            {
                Vector256<float> v0 = Vector256.Load(v), v1 = Vector256.Load(v + width), v2 = Vector256.Load(v + 2 * width), v3 = Vector256.Load(v + 3 * width);
                lanes0 = Vector256.FusedMultiplyAdd(v0, v0, lanes0);
                lanes1 = Vector256.FusedMultiplyAdd(v1, v1, lanes1);
                lanes2 = Vector256.FusedMultiplyAdd(v2, v2, lanes2);
                lanes3 = Vector256.FusedMultiplyAdd(v3, v3, lanes3);
            }
            Vector256<float> lanes = (lanes0 + lanes1) + (lanes2 + lanes3);
            double sum = 0;
            for (int lane = 0; lane < width; lane++) sum += lanes[lane];
            for (; i < values.Length; i++, v++) sum += (double)*v * *v;
            return sum;
        }
    }
}
