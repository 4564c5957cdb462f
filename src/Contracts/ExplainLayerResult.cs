namespace BackpropService.Contracts;

/// <summary>One layer of a step-through.</summary>
/// <param name="Z">Weighted inputs z^l = W^l a^(l−1) + b^l.</param>
/// <param name="Activation">a^l = σ(z^l).</param>
/// <param name="Delta">The error δ^l (BP1 for the output layer, BP2 otherwise).</param>
/// <param name="WeightGradients">∂C/∂w^l_jk = a^(l−1)_k δ^l_j (BP4).</param>
/// <param name="BiasGradients">∂C/∂b^l_j = δ^l_j (BP3).</param>
public sealed record ExplainLayerResult(
    double[] Z,
    double[] Activation,
    double[] Delta,
    double[][] WeightGradients,
    double[] BiasGradients,
    double[][] UpdatedWeights,
    double[] UpdatedBiases);
