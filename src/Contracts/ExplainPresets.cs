namespace BackpropService.Contracts;

/// <summary>
/// Small networks to step through: Swagger UI shows the first as the example of <c>POST /api/explain</c>, and the
/// dashboard's step-through page has a button for each. One list, so both stay alike.
/// </summary>
public static class ExplainPresets
{
    /// <summary>
    /// Matt Mazur's "A Step by Step Backpropagation Example": inputs 0.05, 0.10, targets 0.01, 0.99, w1..w8 =
    /// .15 .20 .25 .30 .40 .45 .50 .55, b1 = .35, b2 = .60, sigmoid, C = ½Σ(a − y)², η = 0.5. He publishes the
    /// error before the step (0.298371109) and every weight after it (w5 = 0.35891648).
    /// </summary>
    public static ExplainPreset Mazur { get; } = new("mazur", "Mazur's 2-2-2",
        "Matt Mazur's worked example: a 2-2-2 sigmoid network, quadratic cost, η = 0.5. He keeps the biases fixed; this step updates them too.",
        new ExplainRequest(
            [
                new ExplainLayer([[0.15, 0.20], [0.25, 0.30]], [0.35, 0.35], Activation.Sigmoid),
                new ExplainLayer([[0.40, 0.45], [0.50, 0.55]], [0.60, 0.60], Activation.Sigmoid),
            ],
            [0.05, 0.10], [0.01, 0.99], Cost.Quadratic, 0.5));

    public static ExplainPreset Xor { get; } = new("xor", "XOR 2-2-1",
        "One XOR sample (1, 0 → 1) through a 2-2-1 sigmoid network with quadratic cost.",
        new ExplainRequest(
            [
                new ExplainLayer([[0.5, -0.4], [-0.3, 0.6]], [0.1, -0.2], Activation.Sigmoid),
                new ExplainLayer([[0.7, -0.5]], [0.2], Activation.Sigmoid),
            ],
            [1.0, 0.0], [1.0], Cost.Quadratic, 1.0));

    public static ExplainPreset Softmax { get; } = new("softmax", "Softmax 3-3-2",
        "A tanh hidden layer and a softmax output with cross-entropy: BP1 becomes δ = a − y.",
        new ExplainRequest(
            [
                new ExplainLayer([[0.2, -0.1, 0.4], [-0.5, 0.3, 0.1], [0.3, 0.3, -0.2]], [0.0, 0.1, -0.1], Activation.Tanh),
                new ExplainLayer([[0.6, -0.4, 0.2], [-0.3, 0.5, 0.1]], [0.05, -0.05], Activation.Softmax),
            ],
            [0.5, -1.0, 0.25], [0.0, 1.0], Cost.CrossEntropy, 0.1));

    public static ExplainPreset Deep { get; } = new("deep", "Deeper 2-3-3-2",
        "Two ReLU hidden layers and sigmoid outputs with cross-entropy: δ flows back through two layers (BP2 twice).",
        new ExplainRequest(
            [
                new ExplainLayer([[0.4, -0.6], [0.7, 0.2], [-0.3, 0.5]], [0.1, 0.0, 0.2], Activation.Relu),
                new ExplainLayer([[0.5, -0.2, 0.3], [-0.4, 0.6, 0.1], [0.2, 0.3, -0.5]], [0.0, 0.1, 0.05], Activation.Relu),
                new ExplainLayer([[0.3, -0.6, 0.4], [-0.2, 0.5, 0.7]], [0.0, -0.1], Activation.Sigmoid),
            ],
            [0.8, 0.3], [1.0, 0.0], Cost.CrossEntropy, 0.5));

    public static IReadOnlyList<ExplainPreset> All { get; } = [Mazur, Xor, Softmax, Deep];
}
