using System.Numerics;
using System.Numerics.Tensors;
using BackpropService.Engine.Activations;

namespace BackpropService.Engine.Costs;

/// <summary>C_x = ½ Σ_j (a_j − y_j)²; ∇_a C = a − y.</summary>
public sealed class QuadraticCost : Cost
{
    public static readonly QuadraticCost Instance = new();

    public override CostKind Kind => CostKind.Quadratic;

    public override T Loss<T>(Activation output, ReadOnlySpan<T> weightedInput, ReadOnlySpan<T> activation, ReadOnlySpan<T> target, int width)
    {
        T sumOfSquares = T.Zero;
        for (int i = 0; i < activation.Length; i++)
        {
            T difference = activation[i] - target[i];
            sumOfSquares += difference * difference;
        }
        return sumOfSquares / (T.One + T.One);
    }

    public override void OutputError<T>(Activation output, ReadOnlySpan<T> weightedInput, ReadOnlySpan<T> activation, ReadOnlySpan<T> target, Span<T> error, int width)
    {
        // BP1: δᴸ = (a − y) ⊙ σ'(zᴸ)
        TensorPrimitives.Subtract(activation, target, error);
        output.BackpropagateInPlace(weightedInput, activation, error, width);
    }

    public override string? Incompatibility(ActivationKind output) => null;
}
