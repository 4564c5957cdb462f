using System.Text;
using System.Text.Json;
using BackpropService.Api.Persistence;
using BackpropService.Contracts;
using BackpropService.Engine;

namespace BackpropService.Api.Models;

/// <summary>A stored model version loaded for predict, with what its answers need already encoded.</summary>
public sealed class LoadedModel
{
    private LoadedModel(ModelEntity entity, TrainedModel model)
    {
        Id = entity.Id;
        Name = entity.Name;
        Version = entity.Version;
        Task = entity.Task;
        Model = model;
        IdJson = JsonEncodedText.Encode(entity.Id);
        IdUtf8 = Encoding.UTF8.GetBytes(entity.Id);
        if (entity.Task == LearningTask.Classification)
        {
            // The label of class i: its name, or its index when the model has no (or too few) names.
            Labels = new JsonEncodedText[model.Outputs];
            for (int i = 0; i < Labels.Length; i++)
                Labels[i] = JsonEncodedText.Encode(entity.Classes is { } names && i < names.Count
                    ? names[i] : i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    public string Id { get; }

    public string Name { get; }

    public int Version { get; }

    public LearningTask Task { get; }

    public TrainedModel Model { get; }

    public int Inputs => Model.Inputs;

    public int Outputs => Model.Outputs;

    public bool IsClassifier => Labels is not null;

    /// <summary>The id as JSON string text, escaped once.</summary>
    public JsonEncodedText IdJson { get; }

    /// <summary>The id as UTF-8 bytes, for the binary answer.</summary>
    public byte[] IdUtf8 { get; }

    /// <summary>Each class's label as JSON string text (classification only).</summary>
    public JsonEncodedText[]? Labels { get; }

    /// <summary>
    /// The memory the model's numbers take: its weights and biases, and the normalization fitted on its training data
    /// (an offset and a scale per feature; 4 bytes each). What <see cref="ModelCache"/> counts against <c>Limits:ModelCacheBytes</c>.
    /// A convolutional model holds nothing else either: its kernels are among the parameters, and the buffers a prediction
    /// needs (activations, a convolution's unrolled patches, a pool's winners) belong to the predicting thread, not the model
    /// (<see cref="TrainedModel.Predict"/>).
    /// </summary>
    public long WeightBytes => ((long)Model.Network.Parameters.Length + 2L * Model.Normalizer.Features) * sizeof(float);

    /// <summary>The cache's use counter at the last use; the cache drops the least recently used.</summary>
    internal long LastUsed;

    public static LoadedModel Create(ModelEntity entity, TrainedModel model) => new(entity, model);
}
