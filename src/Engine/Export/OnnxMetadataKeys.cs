namespace BackpropService.Engine.Export;

/// <summary>
/// The keys of an exported model's metadata_props (in ONNX Runtime: <c>ModelMetadata.CustomMetadataMap</c>, in Python
/// <c>session.get_modelmeta().custom_metadata_map</c>).
/// </summary>
public static class OnnxMetadataKeys
{
    /// <summary>The model's name and version in the service.</summary>
    public const string Name = "name", Version = "version";

    /// <summary>classification or regression.</summary>
    public const string Task = "task";

    /// <summary>none, minMax or standard: what the graph's first nodes do to the raw inputs.</summary>
    public const string Normalization = "normalization";

    /// <summary>Classifiers only: the class names in output order, as a JSON array of strings.</summary>
    public const string ClassLabels = "classLabels";
}
