using System.Numerics;
using BackpropService.Engine.Layers;
using BackpropService.Engine.Randomness;

namespace BackpropService.Engine.Initialization;

/// <summary>
/// Draws a network's starting parameters, layer by layer (weights in θ's order, then biases; layers without weights draw
/// nothing). n_in and n_out are a layer's fan-in and fan-out: a dense layer's inputs and outputs, a conv layer's C_in · K²
/// and filters · K².
/// </summary>
public static class WeightInitializer
{
    public static void Initialize<T>(Network<T> network, InitializationKind kind, SeededRandom random)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (Layer layer in network.Layers)
        {
            if (!layer.HasWeights) continue;
            double weightStandardDeviation = kind switch
            {
                InitializationKind.Normal => 1.0,
                InitializationKind.ScaledNormal => Math.Sqrt(1.0 / layer.FanIn),
                InitializationKind.Xavier => Math.Sqrt(2.0 / (layer.FanIn + layer.FanOut)),
                InitializationKind.He => Math.Sqrt(2.0 / layer.FanIn),
                _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown initialization"),
            };
            bool normalBiases = kind is InitializationKind.Normal or InitializationKind.ScaledNormal;

            Span<T> weights = network.Weights(layer.Index);
            for (int i = 0; i < weights.Length; i++)
                weights[i] = T.CreateChecked(random.NextNormal() * weightStandardDeviation);

            Span<T> biases = network.Biases(layer.Index);
            for (int j = 0; j < biases.Length; j++)
                biases[j] = normalBiases ? T.CreateChecked(random.NextNormal()) : T.Zero;
        }
    }
}
