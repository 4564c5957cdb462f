using BackpropService.Engine.Serialization;

namespace BackpropService.Engine.Optimizers;

/// <summary>
/// Adam (Kingma &amp; Ba): m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g², m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ),
/// θ ← θ − η m̂ / (√v̂ + ε), with β₁ = 0.9, β₂ = 0.999, ε = 1e−8.
/// </summary>
public sealed class AdamOptimizer : Optimizer
{
    public const float Beta1 = 0.9f, Beta2 = 0.999f, Epsilon = 1e-8f;

    private readonly float[] _firstMoment;
    private readonly float[] _secondMoment;
    private long _steps;

    /// <summary>1/(1 − β₁ᵗ) and 1/(1 − β₂ᵗ) of the step under way.</summary>
    private float _firstCorrection, _secondCorrection;

    public AdamOptimizer(int parameterCount)
    {
        _firstMoment = new float[parameterCount];
        _secondMoment = new float[parameterCount];
    }

    public override OptimizerKind Kind => OptimizerKind.Adam;

    internal override void BeginStep()
    {
        _steps++;
        _firstCorrection = 1f / (1f - MathF.Pow(Beta1, _steps));
        _secondCorrection = 1f / (1f - MathF.Pow(Beta2, _steps));
    }

    internal override void Update(Span<float> parameters, ReadOnlySpan<float> gradients, int offset, float learningRate)
    {
        float firstCorrection = _firstCorrection, secondCorrection = _secondCorrection;
        Span<float> m = _firstMoment.AsSpan(offset, parameters.Length);
        Span<float> v = _secondMoment.AsSpan(offset, parameters.Length);
        for (int i = 0; i < parameters.Length; i++)
        {
            float g = gradients[i];
            m[i] = Beta1 * m[i] + (1 - Beta1) * g;
            v[i] = Beta2 * v[i] + (1 - Beta2) * g * g;
            parameters[i] -= learningRate * (m[i] * firstCorrection) / (MathF.Sqrt(v[i] * secondCorrection) + Epsilon);
        }
    }

    internal override void WriteState(BinaryWriter writer)
    {
        writer.Write(_steps);
        BinaryFields.WriteFloats(writer, _firstMoment);
        BinaryFields.WriteFloats(writer, _secondMoment);
    }

    internal override void ReadState(BinaryReader reader)
    {
        _steps = reader.ReadInt64();
        BinaryFields.ReadFloatsInto(reader, _firstMoment, "optimizer state");
        BinaryFields.ReadFloatsInto(reader, _secondMoment, "optimizer state");
    }
}
