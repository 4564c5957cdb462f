using System.Globalization;
using BackpropService.Contracts;

namespace BackpropService.Web.Components.Shared;

/// <summary>How numbers, durations and statuses read on the dashboard.</summary>
public static class Format
{
    public static string Number(double? value) => value switch
    {
        null => "—",
        double v when double.IsNaN(v) => "NaN",
        double v when v != 0 && (Math.Abs(v) < 1e-3 || Math.Abs(v) >= 1e5) => v.ToString("0.###e0", CultureInfo.InvariantCulture),
        double v => v.ToString("0.####", CultureInfo.InvariantCulture),
    };

    /// <summary>Every digit a double carries: the shortest text that reads back as the same value (0.35891647971788465).</summary>
    public static string Exact(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    public static string Percent(double? value) =>
        value is { } v ? (v * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %" : "—";

    public static string Duration(TimeSpan? span) => span switch
    {
        null => "—",
        { TotalSeconds: < 1 } => "< 1 s",
        { TotalMinutes: < 1 } s => $"{s.TotalSeconds:0} s",
        { TotalHours: < 1 } s => $"{(int)s.TotalMinutes} min {s.Seconds} s",
        TimeSpan s => $"{(int)s.TotalHours} h {s.Minutes} min",
    };

    public static string Status(JobStatus status) => WireName.Of(status);

    /// <summary>A network's layers as "30 leakyRelu–10 softmax", each activation spelled as the API spells it.</summary>
    public static string Layers(IEnumerable<LayerShape> layers) => string.Join("–", layers.Select(Layer));

    /// <summary>One layer as the API spells it: "30 relu", "conv2d 20×5×5 relu", "maxPool 2", "dropout 0.5".</summary>
    public static string Layer(LayerShape layer)
    {
        string activation = layer.Activation is { } σ ? " " + WireName.Of(σ) : "";
        return layer.Type == LayerType.Dense ? $"{layer.Size}{activation}" : LayerKind(layer) + activation;
    }

    /// <summary>What a layer is, without its activation: "dense 100", "conv2d 20×5×5" (and its stride and padding when not 1 and 0), "maxPool 2", "dropout 0.5".</summary>
    public static string LayerKind(LayerShape layer) => layer.Type switch
    {
        LayerType.Conv2d => $"conv2d {layer.Filters}×{layer.Kernel}×{layer.Kernel}"
            + (layer.Stride is > 1 ? $" stride {layer.Stride}" : "") + (layer.Padding is > 0 ? $" pad {layer.Padding}" : ""),
        LayerType.MaxPool => $"maxPool {layer.Size}",
        LayerType.Dropout => string.Create(CultureInfo.InvariantCulture, $"dropout {layer.Rate}"),
        _ => $"dense {layer.Size}",
    };

    /// <summary>A model from input to output as the models list shows it: "784–30–10", "1×28×28–conv2d 20×5×5–maxPool 2–100–10".</summary>
    public static string Architecture(ModelInfo model) =>
        string.Join("–", model.Layers.Select(l => l.Type == LayerType.Dense ? $"{l.Size}" : LayerKind(l))
            .Prepend(Shape(model.InputShape) ?? $"{model.Inputs}"));

    /// <summary>
    /// The layers that have weights (dense and conv2d), in order, named with their place in the network: "layer 1
    /// conv2d 20×5×5", "layer 5 dense 100". An epoch's <c>gradientNorms</c> has one norm for each of them, in this order.
    /// </summary>
    public static IReadOnlyList<string> WeightedLayers(IReadOnlyList<LayerShape> layers) =>
        layers.Select((layer, index) => (layer, index))
            .Where(l => l.layer.Type is LayerType.Dense or LayerType.Conv2d)
            .Select(l => $"layer {l.index + 1} {LayerKind(l.layer)}")
            .ToList();

    /// <summary>Remaining time, from the mean of the measured epoch times (null until one epoch is measured).</summary>
    public static TimeSpan? Eta(Job job, IReadOnlyCollection<double> epochSeconds)
    {
        if (job.Status != JobStatus.Running || epochSeconds.Count == 0) return null;
        // The recent epochs say more about the speed now than the first ones.
        double mean = epochSeconds.TakeLast(20).Average();
        return TimeSpan.FromSeconds(mean * Math.Max(0, job.Epochs - job.Epoch));
    }

    public static string Date(DateTimeOffset? at) =>
        at is { } t ? t.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : "—";

    /// <summary>A dataset's shape as channels×height×width ("1×28×28"); null for a flat dataset.</summary>
    public static string? Shape(IReadOnlyList<int>? shape) =>
        shape is { Count: > 0 } ? string.Join("×", shape.Select(size => size.ToString(CultureInfo.InvariantCulture))) : null;
}
