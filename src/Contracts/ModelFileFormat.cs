namespace BackpropService.Contracts;

/// <summary>What <c>GET /api/models/{id}/download?format=</c> gives.</summary>
public enum ModelFileFormat
{
    /// <summary>The service's own portable model file (<c>.bpmodel</c>, the default): what <c>POST /api/models</c> imports.</summary>
    Bpmodel,

    /// <summary>
    /// A standard ONNX model (<c>.onnx</c>) for ONNX Runtime, Triton or ML.NET: raw inputs "input" [N × features] in
    /// (the stored normalization is its first nodes; a model of images then reshapes them to [N, C, H, W]), "output"
    /// [N × outputs] out, as <c>/predict</c> gives them.
    /// </summary>
    Onnx,
}
