using BackpropService.Engine.Costs;
using BackpropService.Engine.Data;
using BackpropService.Engine.Layers;

namespace BackpropService.Engine.Evaluation;

/// <summary>Runs a whole (already normalized) dataset through a network in workspace-sized chunks.</summary>
internal static class ForwardPass
{
    /// <summary>Writes every sample's output activations to <paramref name="outputs"/> (samples × outputs) and returns Σ_x C_x.</summary>
    /// <param name="cancellationToken">Checked before each chunk, so a caller who gave up stops the pass within one chunk.</param>
    public static double Run(Network<float> network, Cost cost, Dataset data, NetworkWorkspace<float> workspace, Span<float> outputs,
        CancellationToken cancellationToken = default)
    {
        Layer outputLayer = network.Layers[^1];
        int width = data.Outputs;
        double lossSum = 0;
        for (int start = 0; start < data.Samples; start += workspace.MaxRows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int rows = Math.Min(workspace.MaxRows, data.Samples - start);
            network.Forward(data.Inputs.AsSpan(start * data.Features, rows * data.Features), rows, workspace);
            lossSum += cost.Loss<float>(outputLayer.Activation,
                workspace.WeightedInputs[outputLayer.Index].AsSpan(0, rows * width),
                workspace.Output,
                data.Targets.AsSpan(start * width, rows * width),
                width);
            workspace.Output.CopyTo(outputs.Slice(start * width, rows * width));
        }
        return lossSum;
    }
}
