using BackpropService.Engine.Data;
using BackpropService.Engine.Randomness;

namespace BackpropService.Engine.Tests.Layers;

/// <summary>
/// A small image task a convolution solves and a position-bound reading does not: 1×8×8 images holding a line of four
/// pixels, horizontal, vertical or diagonal, anywhere in the image, over noise. The class is the line's direction.
/// </summary>
public static class LinePatterns
{
    public static readonly TensorShape Shape = new(1, 8, 8);

    public static readonly string[] Classes = ["horizontal", "vertical", "diagonal"];

    public static Dataset Create(int samples, ulong seed)
    {
        var random = new SeededRandom(seed);
        int features = (int)Shape.Length, side = Shape.Width;
        var inputs = new float[samples * features];
        var targets = new float[samples * Classes.Length];
        var labels = new int[samples];
        for (int s = 0; s < samples; s++)
        {
            Span<float> image = inputs.AsSpan(s * features, features);
            for (int i = 0; i < features; i++) image[i] = (float)(random.NextDouble() * 0.4);
            int label = random.NextInt(Classes.Length);
            int y = random.NextInt(side - 3), x = random.NextInt(side - 3), other = random.NextInt(side);
            for (int step = 0; step < 4; step++)
            {
                (int row, int column) = label switch
                {
                    0 => (other, x + step),
                    1 => (y + step, other),
                    _ => (y + step, x + step),
                };
                image[row * side + column] = 1;
            }
            labels[s] = label;
            targets[s * Classes.Length + label] = 1;
        }
        return new Dataset("lines", TaskKind.Classification, features, Classes.Length, inputs, targets, labels, Classes) { Shape = Shape };
    }

    /// <summary>The same samples with the image shape (a dataset subset or a reader that does not carry it).</summary>
    public static Dataset WithShape(Dataset data, TensorShape shape) =>
        new(data.Name, data.Task, data.Features, data.Outputs, data.Inputs, data.Targets, data.Labels, data.ClassNames) { Shape = shape };
}
