namespace BackpropService.Engine.Data;

/// <summary>
/// Samples held as two row-major matrices: <see cref="Inputs"/> (samples × features) and
/// <see cref="Targets"/> (samples × outputs). For classification the targets are one-hot rows and
/// <see cref="Labels"/> holds each sample's class index.
/// </summary>
public sealed class Dataset
{
    public Dataset(string name, TaskKind task, int features, int outputs, float[] inputs, float[] targets,
        int[]? labels = null, IReadOnlyList<string>? classNames = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(features, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputs, 1);
        if (inputs.Length % features != 0)
            throw new ArgumentException($"inputs length {inputs.Length} is not a multiple of {features} features.", nameof(inputs));
        int samples = inputs.Length / features;
        if (targets.Length != (long)samples * outputs)
            throw new ArgumentException($"targets length {targets.Length} should be {samples} samples × {outputs} outputs.", nameof(targets));
        if (task == TaskKind.Classification)
        {
            if (labels is null || classNames is null)
                throw new ArgumentException("a classification dataset needs labels and class names.");
            if (labels.Length != samples)
                throw new ArgumentException($"labels length {labels.Length} should be {samples}.", nameof(labels));
            if (classNames.Count != outputs)
                throw new ArgumentException($"{classNames.Count} class names for {outputs} outputs.", nameof(classNames));
        }

        Name = name;
        Task = task;
        Features = features;
        Outputs = outputs;
        Inputs = inputs;
        Targets = targets;
        Labels = labels;
        ClassNames = classNames;
    }

    public string Name { get; }
    public TaskKind Task { get; }
    public int Samples => Inputs.Length / Features;
    public int Features { get; }
    public int Outputs { get; }

    /// <summary>The features as channels × height × width (IDX images: 1 × rows × columns), or null for a flat vector.</summary>
    public TensorShape? Shape
    {
        get => _shape;
        init => _shape = value is not { } shape ? null
            : shape.Channels < 1 || shape.Height < 1 || shape.Width < 1
                ? throw new ArgumentException($"the shape {shape} has a size below 1.", nameof(Shape))
            : shape.Length != Features
                ? throw new ArgumentException($"the shape {shape} holds {shape.Length} values, the dataset has {Features} features.", nameof(Shape))
            : shape;
    }

    private readonly TensorShape? _shape;

    /// <summary>Row-major samples × features.</summary>
    public float[] Inputs { get; }

    /// <summary>Row-major samples × outputs (one-hot rows for classification).</summary>
    public float[] Targets { get; }

    /// <summary>Class index of each sample; null for regression.</summary>
    public int[]? Labels { get; }

    /// <summary>The memory its numbers take: inputs, targets and labels, 4 bytes each.</summary>
    public long DecodedBytes => ((long)Inputs.Length + Targets.Length + (Labels?.Length ?? 0)) * sizeof(float);

    /// <summary>Class names in index order; null for regression.</summary>
    public IReadOnlyList<string>? ClassNames { get; }

    public ReadOnlySpan<float> Input(int sample) => Inputs.AsSpan(sample * Features, Features);

    public ReadOnlySpan<float> Target(int sample) => Targets.AsSpan(sample * Outputs, Outputs);

    /// <summary>A new dataset holding the given samples, in the given order.</summary>
    public Dataset Subset(ReadOnlySpan<int> indices, string? name = null)
    {
        var inputs = new float[checked(indices.Length * Features)];
        var targets = new float[checked(indices.Length * Outputs)];
        int[]? labels = Labels is null ? null : new int[indices.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            int s = indices[i];
            Input(s).CopyTo(inputs.AsSpan(i * Features, Features));
            Target(s).CopyTo(targets.AsSpan(i * Outputs, Outputs));
            if (labels is not null) labels[i] = Labels![s];
        }
        return new Dataset(name ?? Name, Task, Features, Outputs, inputs, targets, labels, ClassNames) { Shape = Shape };
    }

    /// <summary>A classification dataset from class indices (targets become one-hot rows).</summary>
    /// <param name="shape">The features as channels × height × width (see <see cref="Shape"/>); null for a flat vector.</param>
    public static Dataset ForClassification(string name, int features, float[] inputs, int[] labels, IReadOnlyList<string> classNames,
        TensorShape? shape = null)
    {
        int classes = classNames.Count;
        long targetCount = (long)labels.Length * classes;
        if (targetCount > Array.MaxLength)
            throw new ArgumentException($"{labels.Length} samples × {classes} classes is too many one-hot targets to hold.", nameof(classNames));
        var targets = new float[targetCount];
        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classes)
                throw new ArgumentException($"label {labels[i]} of sample {i} is outside 0..{classes - 1}.", nameof(labels));
            targets[i * classes + labels[i]] = 1f;
        }
        return new Dataset(name, TaskKind.Classification, features, classes, inputs, targets, labels, classNames) { Shape = shape };
    }
}
