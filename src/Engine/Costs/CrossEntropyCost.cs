using System.Numerics;
using System.Numerics.Tensors;
using BackpropService.Engine.Activations;

namespace BackpropService.Engine.Costs;

/// <summary>
/// Cross-entropy. After sigmoid outputs it is the binary cross-entropy of each output,
/// C_x = −Σ_j [y_j ln a_j + (1 − y_j) ln(1 − a_j)]; after a softmax output it is the log-likelihood
/// C_x = −Σ_j y_j ln a_j. In both cases δᴸ = a − y (the σ'(z) of BP1 cancels).
/// </summary>
public sealed class CrossEntropyCost : Cost
{
    public static readonly CrossEntropyCost Instance = new();

    public override CostKind Kind => CostKind.CrossEntropy;

    public override T Loss<T>(Activation output, ReadOnlySpan<T> weightedInput, ReadOnlySpan<T> activation, ReadOnlySpan<T> target, int width)
    {
        T total = T.Zero;
        if (output.Kind == ActivationKind.Softmax)
        {
            // −Σ_j y_j ln a_j with ln a_j = z_j − logΣexp(z), and logΣexp(z) = m + ln Σ e^(z_k − m), m = max z.
            for (int row = 0; row < weightedInput.Length; row += width)
            {
                ReadOnlySpan<T> z = weightedInput.Slice(row, width);
                ReadOnlySpan<T> y = target.Slice(row, width);
                T max = TensorPrimitives.Max(z);
                T sumOfExponentials = T.Zero;
                for (int j = 0; j < width; j++) sumOfExponentials += T.Exp(z[j] - max);
                T logSumExp = max + T.Log(sumOfExponentials);
                for (int j = 0; j < width; j++) total += y[j] * (logSumExp - z[j]);
            }
            return total;
        }

        // Sigmoid: −[y ln σ(z) + (1 − y) ln(1 − σ(z))] = softplus(z) − y z, and
        // softplus(z) = max(z, 0) + ln(1 + e^−|z|) never overflows and never takes ln 0.
        for (int i = 0; i < weightedInput.Length; i++)
        {
            T z = weightedInput[i];
            T softplus = T.Max(z, T.Zero) + T.LogP1(T.Exp(-T.Abs(z)));
            total += softplus - target[i] * z;
        }
        return total;
    }

    public override void OutputError<T>(Activation output, ReadOnlySpan<T> weightedInput, ReadOnlySpan<T> activation, ReadOnlySpan<T> target, Span<T> error, int width) =>
        // BP1 for cross-entropy with sigmoid or softmax output: δᴸ = a − y.
        TensorPrimitives.Subtract(activation, target, error);

    public override string? Incompatibility(ActivationKind output) => output switch
    {
        ActivationKind.Sigmoid or ActivationKind.Softmax => null,
        _ => $"crossEntropy needs outputs that are probabilities (sigmoid or softmax output layer), not {output.ToCamelCase()}; use quadratic cost, or change the last layer's activation",
    };
}
