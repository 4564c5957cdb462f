using BackpropService.Engine.Serialization;

namespace BackpropService.Engine.Optimizers;

/// <summary>RMSProp: s ← ρs + (1 − ρ)g², θ ← θ − η g / (√s + ε), with ρ = 0.9, ε = 1e−8.</summary>
public sealed class RmsPropOptimizer : Optimizer
{
    public const float Decay = 0.9f, Epsilon = 1e-8f;

    private readonly float[] _meanSquare;

    public RmsPropOptimizer(int parameterCount) => _meanSquare = new float[parameterCount];

    public override OptimizerKind Kind => OptimizerKind.Rmsprop;

    internal override void Update(Span<float> parameters, ReadOnlySpan<float> gradients, int offset, float learningRate)
    {
        Span<float> meanSquare = _meanSquare.AsSpan(offset, parameters.Length);
        for (int i = 0; i < parameters.Length; i++)
        {
            float g = gradients[i];
            meanSquare[i] = Decay * meanSquare[i] + (1 - Decay) * g * g;
            parameters[i] -= learningRate * g / (MathF.Sqrt(meanSquare[i]) + Epsilon);
        }
    }

    internal override void WriteState(BinaryWriter writer) => BinaryFields.WriteFloats(writer, _meanSquare);

    internal override void ReadState(BinaryReader reader) => BinaryFields.ReadFloatsInto(reader, _meanSquare, "optimizer state");
}
