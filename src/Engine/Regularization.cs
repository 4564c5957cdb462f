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
}
