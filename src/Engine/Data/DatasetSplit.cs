using BackpropService.Engine.Randomness;

namespace BackpropService.Engine.Data;

/// <summary>Holds out a random part of a dataset for validation.</summary>
public static class DatasetSplit
{
    /// <summary>
    /// Shuffles the sample indices with a <see cref="SeededRandom"/> and gives the first
    /// round(n · <paramref name="validationFraction"/>) (halves rounded up) to validation, the rest to
    /// training. Each part keeps the samples in their original order: the split only decides membership,
    /// and the trainer shuffles every epoch anyway. A fraction of 0 returns the data unchanged and no
    /// validation set.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The fraction is not in [0, 1).</exception>
    /// <exception cref="ArgumentException">The fraction leaves one of the parts empty.</exception>
    public static (Dataset Train, Dataset? Validation) Split(Dataset data, double validationFraction, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!(validationFraction >= 0 && validationFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction,
                "the validation fraction must be at least 0 and less than 1.");
        if (validationFraction == 0)
            return (data, null);

        int samples = data.Samples;
        int validationCount = ValidationCount(samples, validationFraction);
        if (validationCount == 0 || validationCount == samples)
            throw new ArgumentException(
                $"a validation fraction of {validationFraction} of {samples} samples leaves " +
                $"{(validationCount == 0 ? "no validation" : "no training")} samples; " +
                "choose another fraction or use more data.", nameof(validationFraction));

        int[] order = [.. Enumerable.Range(0, samples)];
        new SeededRandom(seed).Shuffle(order.AsSpan());
        int[] validation = order[..validationCount];
        int[] train = order[validationCount..];
        Array.Sort(validation);
        Array.Sort(train);
        return (data.Subset(train, $"{data.Name} (training)"), data.Subset(validation, $"{data.Name} (validation)"));
    }

    /// <summary>Samples held out: round(n · fraction), halves away from zero; 0 without a split.</summary>
    public static int ValidationCount(int samples, double validationFraction) =>
        validationFraction > 0 ? (int)Math.Round(samples * validationFraction, MidpointRounding.AwayFromZero) : 0;
}
