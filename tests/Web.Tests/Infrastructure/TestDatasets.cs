using BackpropService.Contracts;

namespace BackpropService.Web.Tests.Infrastructure;

/// <summary>Datasets the browser tests upload through the public API.</summary>
public static class TestDatasets
{
    /// <summary>The 2,000 MNIST test digits (IDX, so 28×28 images: shape [1, 28, 28]): enough for a conv net that answers, small enough to train in seconds.</summary>
    public static async Task<DatasetInfo> UploadMnistTestDigitsAsync(this HttpClient http)
    {
        var mnist = TestFiles.MnistFolder();
        Assert.True(Directory.Exists(mnist), $"The MNIST subset is missing at {mnist}; set MNIST_DIR or provide shared/data/mnist-10k.");
        return await http.UploadIdxAsync(
            Path.Combine(mnist, "test-images-idx3-ubyte.gz"), Path.Combine(mnist, "test-labels-idx1-ubyte.gz"), "mnist-2k");
    }
}
