namespace BackpropService.Engine.Data;

/// <summary>
/// A per-feature affine rescaling of inputs, x′ = (x − offset) · scale. It is fitted on the training
/// samples only (never on validation or test data, whose statistics must not leak into training), then
/// stored with the model so that prediction applies exactly the same transformation.
/// </summary>
public sealed class Normalizer
{
    /// <summary>A model file claiming more features than this is taken to be corrupt.</summary>
    public const int MaxFeatures = 1 << 24;

    private const int FormatVersion = 1;

    /// <param name="kind">How the offsets and scales were chosen (kept for display and the model file).</param>
    /// <param name="offset">Per feature: subtracted first.</param>
    /// <param name="scale">Per feature: multiplied after the offset is subtracted.</param>
    public Normalizer(NormalizationKind kind, float[] offset, float[] scale)
    {
        ArgumentNullException.ThrowIfNull(offset);
        ArgumentNullException.ThrowIfNull(scale);
        if (!Enum.IsDefined(kind))
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown normalization kind.");
        if (offset.Length == 0 || offset.Length != scale.Length)
            throw new ArgumentException($"offset ({offset.Length}) and scale ({scale.Length}) need one value per feature.", nameof(scale));
        if (!Array.TrueForAll(offset, float.IsFinite) || !Array.TrueForAll(scale, s => float.IsFinite(s) && s != 0))
            throw new ArgumentException("offsets must be finite and scales finite and non-zero.", nameof(scale));
        Kind = kind;
        Offset = offset;
        Scale = scale;
    }

    public NormalizationKind Kind { get; }

    public int Features => Offset.Length;

    /// <summary>Per-feature value subtracted from the input (the minimum for MinMax, the mean for Standard).</summary>
    public float[] Offset { get; }

    /// <summary>Per-feature factor applied after the offset (1/(max − min) for MinMax, 1/σ for Standard).</summary>
    public float[] Scale { get; }

    /// <summary>
    /// Fits the offsets and scales on <paramref name="training"/>. MinMax maps each feature onto [0, 1];
    /// Standard gives each feature zero mean and unit (population) variance. A constant feature gets
    /// scale 1, so it maps to 0 instead of dividing by zero; None is the identity.
    /// </summary>
    public static Normalizer Fit(NormalizationKind kind, Dataset training)
    {
        ArgumentNullException.ThrowIfNull(training);
        int features = training.Features, samples = training.Samples;
        var offset = new float[features];
        var scale = new float[features];
        Array.Fill(scale, 1f);
        if (kind == NormalizationKind.None || samples == 0)
            return new Normalizer(kind, offset, scale);

        ReadOnlySpan<float> inputs = training.Inputs;
        for (int feature = 0; feature < features; feature++)
        {
            // Statistics in double: summing thousands of floats in float loses the digits that matter.
            double min = double.PositiveInfinity, max = double.NegativeInfinity, sum = 0;
            for (int s = 0; s < samples; s++)
            {
                double x = inputs[s * features + feature];
                min = Math.Min(min, x);
                max = Math.Max(max, x);
                sum += x;
            }
            bool constant = min == max;

            double shift, spread;
            if (kind == NormalizationKind.MinMax)
            {
                shift = min;
                spread = max - min;
            }
            else
            {
                double mean = sum / samples, squares = 0;
                for (int s = 0; s < samples; s++)
                {
                    double deviation = inputs[s * features + feature] - mean;
                    squares += deviation * deviation;
                }
                shift = mean;
                spread = Math.Sqrt(squares / samples);
            }

            offset[feature] = constant ? (float)min : (float)shift;
            float factor = (float)(1.0 / spread);
            // A spread so small that 1/spread overflows float is a constant column in all but name.
            scale[feature] = constant || !float.IsFinite(factor) || factor == 0 ? 1f : factor;
        }
        return new Normalizer(kind, offset, scale);
    }

    /// <summary>Normalizes row-major inputs (any number of rows of <see cref="Features"/> values) in place.</summary>
    public void Apply(Span<float> rowMajorInputs)
    {
        if (rowMajorInputs.Length % Features != 0)
            throw new ArgumentException(
                $"{rowMajorInputs.Length} values are not whole rows of {Features} features.", nameof(rowMajorInputs));
        if (Kind == NormalizationKind.None)
            return;
        for (int row = 0; row < rowMajorInputs.Length; row += Features)
        {
            Span<float> values = rowMajorInputs.Slice(row, Features);
            for (int feature = 0; feature < values.Length; feature++)
                values[feature] = (values[feature] - Offset[feature]) * Scale[feature];
        }
    }

    /// <summary>A copy of <paramref name="data"/> with normalized inputs; targets, labels, class names and shape are shared.</summary>
    public Dataset Apply(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Features != Features)
            throw new ArgumentException($"the normalizer was fitted on {Features} features, the dataset has {data.Features}.", nameof(data));
        float[] inputs = (float[])data.Inputs.Clone();
        Apply(inputs);
        return new Dataset(data.Name, data.Task, data.Features, data.Outputs, inputs, data.Targets, data.Labels, data.ClassNames)
        {
            Shape = data.Shape,
        };
    }

    /// <summary>Writes version, kind, feature count, offsets and scales (little-endian, as BinaryWriter does).</summary>
    public void WriteTo(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(FormatVersion);
        writer.Write((int)Kind);
        writer.Write(Features);
        foreach (float value in Offset)
            writer.Write(value);
        foreach (float value in Scale)
            writer.Write(value);
    }

    /// <summary>Reads what <see cref="WriteTo"/> wrote.</summary>
    /// <exception cref="DataFormatException">The bytes are not a valid normalizer (wrong version, kind or length, truncated, non-finite values).</exception>
    public static Normalizer ReadFrom(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        try
        {
            int version = reader.ReadInt32();
            if (version != FormatVersion)
                throw new DataFormatException($"normalizer: format version {version} is not supported (expected {FormatVersion}).");
            int kind = reader.ReadInt32();
            if (!Enum.IsDefined((NormalizationKind)kind))
                throw new DataFormatException($"normalizer: unknown normalization kind {kind}.");
            int features = reader.ReadInt32();
            if (features < 1 || features > MaxFeatures)
                throw new DataFormatException($"normalizer: feature count {features} is outside 1–{MaxFeatures}.");
            float[] offset = ReadValues(reader, features, "offset", v => float.IsFinite(v));
            float[] scale = ReadValues(reader, features, "scale", v => float.IsFinite(v) && v != 0);
            return new Normalizer((NormalizationKind)kind, offset, scale);
        }
        catch (EndOfStreamException ex)
        {
            throw new DataFormatException("normalizer: the data ends before the normalizer is complete.", ex);
        }
    }

    private static float[] ReadValues(BinaryReader reader, int count, string what, Predicate<float> isValid)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = reader.ReadSingle();
            if (!isValid(values[i]))
                throw new DataFormatException($"normalizer: {what} of feature {i} is {values[i]}, which is not a valid value.");
        }
        return values;
    }
}
