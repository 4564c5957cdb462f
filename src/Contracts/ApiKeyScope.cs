namespace BackpropService.Contracts;

/// <summary>
/// What an API key may do. <see cref="Admin"/> may do everything; <see cref="Train"/> also reads models,
/// joins the training hub and predicts; <see cref="Predict"/> only predicts and reads models;
/// <see cref="Metrics"/> only reads <c>GET /metrics</c>.
/// </summary>
public enum ApiKeyScope
{
    Predict,
    Train,
    Metrics,
    Admin,
}
