using System.IO.Compression;
using BackpropService.Engine.Data;

namespace BackpropService.Engine.Tests;

/// <summary>The MNIST subset (8,000 train / 2,000 test), read once per test run.</summary>
public static class Mnist
{
    private static readonly Lazy<Dataset> LazyTrain = new(() => Read("train"));
    private static readonly Lazy<Dataset> LazyTest = new(() => Read("test"));

    public static Dataset Train => LazyTrain.Value;

    public static Dataset Test => LazyTest.Value;

    private static Dataset Read(string part)
    {
        using FileStream images = File.OpenRead(TestData.MnistFile($"{part}-images-idx3-ubyte.gz"));
        using FileStream labels = File.OpenRead(TestData.MnistFile($"{part}-labels-idx1-ubyte.gz"));
        return IdxReader.Read($"mnist-{part}", images, labels);
    }
}
