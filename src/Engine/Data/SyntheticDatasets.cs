using BackpropService.Engine.Randomness;

namespace BackpropService.Engine.Data;

/// <summary>
/// Small built-in datasets for trying the engine without uploading anything. Every generator draws
/// from a <see cref="SeededRandom"/> only, so a name, a sample count and a seed always give the same
/// numbers. Classification sets have 2 features (so they can be plotted) and balanced classes: sample
/// i belongs to class i mod classes. All features lie roughly in [−1.5, 1.5], except sine's x in [−π, π].
/// </summary>
public static class SyntheticDatasets
{
    /// <summary>Used when no sample count is given: enough points to draw a clear decision boundary, few enough to train in seconds.</summary>
    public const int DefaultSamples = 500;

    /// <summary>Upper bound on generated samples, so a request cannot ask for gigabytes.</summary>
    public const int MaxSamples = 1_000_000;

    /// <summary>The ids of the built-in datasets, in the order they are listed.</summary>
    public static IReadOnlyList<string> Names { get; } = ["xor", "circles", "moons", "spirals", "blobs", "sine"];

    /// <summary>The built-in dataset with this id (case-insensitive).</summary>
    /// <exception cref="ArgumentException">The name is not one of <see cref="Names"/>.</exception>
    public static Dataset Create(string name, int? samples = null, ulong seed = 42)
    {
        ArgumentNullException.ThrowIfNull(name);
        int count = samples ?? DefaultSamples;
        return name.Trim().ToUpperInvariant() switch
        {
            "XOR" => Xor(count, seed),
            "CIRCLES" => Circles(count, seed),
            "MOONS" => Moons(count, seed),
            "SPIRALS" => Spirals(count, seed),
            "BLOBS" => Blobs(count, seed),
            "SINE" => Sine(count, seed),
            _ => throw new ArgumentException(
                $"unknown built-in dataset '{name}'; accepted names: {string.Join(", ", Names)}.", nameof(name)),
        };
    }

    /// <summary>
    /// Points scattered around the four corners (±1, ±1), σ = 0.2; class "1" when the signs of x and y differ
    /// (exclusive or), "0" when they agree. Not linearly separable: the classic reason for a hidden layer.
    /// </summary>
    public static Dataset Xor(int samples, ulong seed)
    {
        const double noise = 0.2;
        return Classification("xor", samples, seed, ["0", "1"], (label, random) =>
        {
            double x = random.NextDouble() < 0.5 ? -1 : 1;
            double y = label == 1 ? -x : x;
            return (x + noise * random.NextNormal(), y + noise * random.NextNormal());
        });
    }

    /// <summary>Two concentric rings, radius 0.5 ("inner") and 1 ("outer"), with Gaussian noise σ = 0.08.</summary>
    public static Dataset Circles(int samples, ulong seed)
    {
        const double noise = 0.08;
        return Classification("circles", samples, seed, ["inner", "outer"], (label, random) =>
        {
            double radius = label == 0 ? 0.5 : 1.0;
            double angle = 2 * Math.PI * random.NextDouble();
            return (radius * Math.Cos(angle) + noise * random.NextNormal(),
                    radius * Math.Sin(angle) + noise * random.NextNormal());
        });
    }

    /// <summary>
    /// Two interleaving half circles of radius 1: the upper one centred at (0, 0), the lower one at (1, 0.5)
    /// and flipped; Gaussian noise σ = 0.1. Shifted by (−0.5, −0.25) so the set is centred on the origin.
    /// </summary>
    public static Dataset Moons(int samples, ulong seed)
    {
        const double noise = 0.1;
        return Classification("moons", samples, seed, ["upper", "lower"], (label, random) =>
        {
            double angle = Math.PI * random.NextDouble();
            double x = label == 0 ? Math.Cos(angle) : 1 - Math.Cos(angle);
            double y = label == 0 ? Math.Sin(angle) : 0.5 - Math.Sin(angle);
            return (x - 0.5 + noise * random.NextNormal(), y - 0.25 + noise * random.NextNormal());
        });
    }

    /// <summary>
    /// Two interleaved spiral arms, each making 1.5 turns while the radius grows from 0.1 to 1; the second
    /// arm is the first turned by π. Small Gaussian noise (σ = 0.02). One and a half turns keep the arms
    /// far enough apart for a small network (2-32-32-2, tanh) to separate them; two or more turns make it
    /// a much harder problem.
    /// </summary>
    public static Dataset Spirals(int samples, ulong seed)
    {
        const double turns = 1.5, noise = 0.02;
        return Classification("spirals", samples, seed, ["0", "1"], (label, random) =>
        {
            double progress = random.NextDouble();
            double radius = 0.1 + 0.9 * progress;
            double angle = 2 * Math.PI * turns * progress + Math.PI * label;
            return (radius * Math.Cos(angle) + noise * random.NextNormal(),
                    radius * Math.Sin(angle) + noise * random.NextNormal());
        });
    }

    /// <summary>Three Gaussian clusters (σ = 0.3) centred on a circle of radius 1.2, at 90°, 210° and 330°.</summary>
    public static Dataset Blobs(int samples, ulong seed)
    {
        const double spread = 0.3, centreRadius = 1.2;
        return Classification("blobs", samples, seed, ["0", "1", "2"], (label, random) =>
        {
            double centreAngle = Math.PI / 2 + label * 2 * Math.PI / 3;
            return (centreRadius * Math.Cos(centreAngle) + spread * random.NextNormal(),
                    centreRadius * Math.Sin(centreAngle) + spread * random.NextNormal());
        });
    }

    /// <summary>Regression with one feature: x uniform in [−π, π], target sin(x) plus Gaussian noise σ = 0.05.</summary>
    public static Dataset Sine(int samples, ulong seed)
    {
        const double noise = 0.05;
        CheckSamples(samples, minimum: 1);
        var random = new SeededRandom(seed);
        var inputs = new float[samples];
        var targets = new float[samples];
        for (int i = 0; i < samples; i++)
        {
            double x = Math.PI * (2 * random.NextDouble() - 1);
            inputs[i] = (float)x;
            targets[i] = (float)(Math.Sin(x) + noise * random.NextNormal());
        }
        return new Dataset("sine", TaskKind.Regression, features: 1, outputs: 1, inputs, targets);
    }

    /// <summary>Draws one 2-feature point per sample; sample i gets class i mod classes, which keeps classes balanced.</summary>
    private static Dataset Classification(string name, int samples, ulong seed, string[] classNames,
        Func<int, SeededRandom, (double X, double Y)> drawPoint)
    {
        CheckSamples(samples, minimum: classNames.Length);
        var random = new SeededRandom(seed);
        var inputs = new float[samples * 2];
        var labels = new int[samples];
        for (int i = 0; i < samples; i++)
        {
            int label = i % classNames.Length;
            (double x, double y) = drawPoint(label, random);
            inputs[2 * i] = (float)x;
            inputs[2 * i + 1] = (float)y;
            labels[i] = label;
        }
        return Dataset.ForClassification(name, features: 2, inputs, labels, classNames);
    }

    private static void CheckSamples(int samples, int minimum)
    {
        if (samples < minimum || samples > MaxSamples)
            throw new ArgumentOutOfRangeException(nameof(samples), samples,
                $"sample count must be between {minimum} and {MaxSamples}.");
    }
}
