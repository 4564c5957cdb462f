using BackpropService.Engine.Data;
using BackpropService.Engine.LinearAlgebra;

namespace BackpropService.Engine.Training;

/// <summary>
/// Copies a mini-batch's samples, in the epoch's shuffled order, into the batch buffers the network reads: inputs,
/// targets and (for classification) labels, one row per sample. With several threads each takes a band of rows on the
/// <see cref="WorkerTeam"/> (a batch of W2 is 200 KB of scattered rows: the copy is memory-bound and would otherwise keep
/// one thread busy while the other waits). A copy is a copy: the batch is the same whatever the thread count.
/// </summary>
internal sealed class BatchGather : ParallelWork
{
    /// <summary>Batches of fewer values than this per thread are gathered on the calling thread alone (a hand-off costs a few µs).</summary>
    private const int MinValuesPerThread = 16 * 1024;

    private readonly Dataset _data;
    private readonly float[] _inputs, _targets;
    private readonly int[] _labels;
    private readonly int _threads;

    // The batch under way (set by Run).
    private int[] _order = [];
    private int _start, _rows;

    public BatchGather(Dataset data, float[] inputs, float[] targets, int[] labels, int threads)
    {
        _data = data;
        _inputs = inputs;
        _targets = targets;
        _labels = labels;
        _threads = threads;
    }

    /// <summary>Rows [0, <paramref name="rows"/>) of the buffers from samples <paramref name="order"/>[<paramref name="start"/> …].</summary>
    public void Run(int[] order, int start, int rows)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start + rows, order.Length, nameof(rows));
        _order = order;
        _start = start;
        _rows = rows;
        long values = (long)rows * (_data.Features + _data.Outputs);
        WorkerTeam.Run(this, (int)Math.Clamp(Math.Min(_threads, values / MinValuesPerThread), 1, WorkerTeam.MaxParts));
    }

    public override void Execute(int part, int parts)
    {
        (int first, int end) = ProductPartition.Band(_rows, 1, part, parts);
        int features = _data.Features, outputs = _data.Outputs;
        for (int r = first; r < end; r++)
        {
            int sample = _order[_start + r];
            _data.Input(sample).CopyTo(_inputs.AsSpan(r * features, features));
            _data.Target(sample).CopyTo(_targets.AsSpan(r * outputs, outputs));
            if (_data.Labels is { } labels) _labels[r] = labels[sample];
        }
    }
}
