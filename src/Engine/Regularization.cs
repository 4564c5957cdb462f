using System.Numerics;
using System.Numerics.Tensors;

namespace BackpropService.Engine;

/// <summary>
/// Weight penalties added to the cost, in the book's convention: L2 adds (λ/2n) Σ w², L1 adds (λ/n) Σ |w|,
/// where n is the size of the whole training set. Biases are not penalised.
/// </summary>
/// <param name="L2">λ for L2 (weight decay): w ← (1 − ηλ/n) w − η ∂C₀/∂w under plain SGD.</param>
/// <param name="L1">λ for L1: w ← w − (ηλ/n) sgn(w) − η ∂C₀/∂w under plain SGD.</param>
/// <param name="TrainingSamples">n.</param>
public readonly record struct Regularization(double L2, double L1, int TrainingSamples)
{
    public static Regularization None => new(0, 0, 1);

    public bool IsNone => L2 == 0 && L1 == 0;

    /// <summary>
    /// Adds ∂(penalty)/∂w = (λ₂/n) w + (λ₁/n) sgn(w) to <paramref name="gradients"/> for the <paramref name="weights"/>
    /// beside them (any run of a layer's weights: each weight's term is its own).
    /// </summary>
    public void AddGradient<T>(ReadOnlySpan<T> weights, Span<T> gradients) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (IsNone) return;
        if (gradients.Length != weights.Length) throw new ArgumentException($"gradients hold {gradients.Length} values, weights {weights.Length}.", nameof(gradients));
        T l2 = T.CreateChecked(L2 / TrainingSamples);
        T l1 = T.CreateChecked(L1 / TrainingSamples);
        if (l2 != T.Zero) TensorPrimitives.MultiplyAdd(weights, l2, gradients, gradients);
        if (l1 != T.Zero)
        {
            for (int i = 0; i < weights.Length; i++)
                gradients[i] += l1 * T.CreateChecked(T.Sign(weights[i]));
        }
    }
}
