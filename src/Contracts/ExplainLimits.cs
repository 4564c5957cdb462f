namespace BackpropService.Contracts;

/// <summary>
/// The size of a network the step-through shows (<c>POST /api/explain</c>, and the models
/// <c>GET /api/models/{id}/explain-request</c> accepts); a larger one gets 400. Fixed, not configurable.
/// </summary>
/// <param name="MaxLayers">Most hidden plus output layers, a count.</param>
/// <param name="MaxLayerSize">Most neurons in one layer (and most inputs), a count.</param>
/// <param name="MaxParameters">Most weights and biases, a count.</param>
public sealed record ExplainLimits(int MaxLayers, int MaxLayerSize, long MaxParameters);
