using BackpropService.Api.Tests.Infrastructure;
using BackpropService.Contracts;
using Xunit.Abstractions;

namespace BackpropService.Api.Tests;

/// <summary>
/// Issue 14's learning test, through the service as a user meets it: upload the MNIST subset's IDX files (8,000
/// training and 2,000 test digits, shape [1, 28, 28]), submit the W4 network (conv 20×5×5 relu → maxPool 2 → conv
/// 40×5×5 relu → maxPool 2 → dense 100 relu → dense 10 softmax) for 10 epochs under three seeds, and evaluate each model
/// on the test digits. Slow (minutes): one test runs the three seeds as jobs the worker trains side by side.
/// </summary>
public sealed class ConvolutionalMnistTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_W4_network_reaches_98_percent_on_the_test_digits_in_10_epochs_as_the_median_of_three_seeds()
    {
        string folder = TestData.MnistFolder();
        Assert.True(Directory.Exists(folder), $"the MNIST subset is missing: {folder} (set MNIST_DIR)");
        using var database = new TempDatabase();
        await using var factory = database.CreateFactory(new Dictionary<string, string?> { ["Training:Concurrency"] = "3" });
        var client = factory.CreateClient();

        DatasetInfo train = await client.UploadIdxAsync(Path.Combine(folder, "train-images-idx3-ubyte.gz"), Path.Combine(folder, "train-labels-idx1-ubyte.gz"), "mnist-train");
        DatasetInfo test = await client.UploadIdxAsync(Path.Combine(folder, "test-images-idx3-ubyte.gz"), Path.Combine(folder, "test-labels-idx1-ubyte.gz"), "mnist-test");
        Assert.Equal([1, 28, 28], train.Shape);
        Assert.Equal(2_000, test.Samples);

        // The dashboard's and Swagger's preset, on this upload, with every training digit used for training.
        SubmitJobRequest w4 = JobPresets.MnistConvolutional.Request with { DatasetId = train.Id, ValidationSplit = 0 };
        Assert.Equal(10, w4.Epochs);
        var jobs = new List<Job>();
        foreach (ulong seed in new ulong[] { 1, 2, 3 })
            jobs.Add(await client.SubmitJobAsync(w4 with { Name = $"w4-seed{seed}", Seed = seed }));

        var accuracies = new List<double>();
        foreach (Job job in jobs)
        {
            Job done = await client.WaitUntilFinishedAsync(job.Id, TimeSpan.FromMinutes(30));
            Assert.True(done.Status == JobStatus.Succeeded, $"{done.Name}: {done.Status} {done.Error}");
            var report = await client.PostAsync<EvaluationReport>($"/api/models/{done.ModelId}/evaluate", new EvaluateRequest(test.Id));
            Assert.Equal(2_000, report.Samples);
            accuracies.Add(report.Accuracy!.Value);
        }

        double median = accuracies.Order().ElementAt(1);
        output.WriteLine($"W4, 10 epochs, test accuracy per seed: {string.Join(", ", accuracies.Select(a => a.ToString("P2")))}; median {median:P2}");
        Assert.True(median >= 0.98, $"test accuracies {string.Join(", ", accuracies.Select(a => a.ToString("P2")))}: median {median:P2} is below 98%");
    }
}
