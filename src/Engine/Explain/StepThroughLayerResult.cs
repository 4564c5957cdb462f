namespace BackpropService.Engine.Explain;

/// <summary>Every number backprop computed for one layer l.</summary>
/// <param name="Z">zˡ = Wˡaˡ⁻¹ + bˡ.</param>
/// <param name="Activation">aˡ = σ(zˡ).</param>
/// <param name="Delta">δˡ = ∂C/∂zˡ (BP1 for the output layer, BP2 below it).</param>
/// <param name="WeightGradients">∂C/∂w_jk = a_k^(l−1) δ_j (BP4), indexed [j][k].</param>
/// <param name="BiasGradients">∂C/∂b_j = δ_j (BP3).</param>
/// <param name="UpdatedWeights">w − η ∂C/∂w.</param>
/// <param name="UpdatedBiases">b − η ∂C/∂b.</param>
public sealed record StepThroughLayerResult(
    double[] Z,
    double[] Activation,
    double[] Delta,
    double[][] WeightGradients,
    double[] BiasGradients,
    double[][] UpdatedWeights,
    double[] UpdatedBiases);
