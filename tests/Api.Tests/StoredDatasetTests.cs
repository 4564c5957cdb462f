using BackpropService.Api.Persistence;
using BackpropService.Api.Tests.Infrastructure;
using BackpropService.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BackpropService.Api.Tests;

/// <summary>A dataset damaged in the database is refused with a message, never trained on.</summary>
public sealed class StoredDatasetTests
{
    [Theory]
    [InlineData("flip a byte", "corrupt")]
    [InlineData("cut the end", "truncated")]
    public async Task A_job_on_a_damaged_stored_dataset_fails_saying_the_dataset_is_damaged(string damage, string expected)
    {
        using var database = new TempDatabase();
        await using var factory = database.CreateFactory();
        var client = factory.CreateClient();
        var dataset = await client.UploadCsvAsync(TestData.BlobsCsv(60, 2, 2, seed: 1), "blobs.csv");
        await using (var db = await factory.Services.GetRequiredService<IDbContextFactory<BackpropDbContext>>().CreateDbContextAsync())
        {
            var content = await db.DatasetContents.SingleAsync(c => c.DatasetId == dataset.Id);
            byte[] data = [.. content.Data];
            if (damage == "flip a byte") data[data.Length / 2] ^= 0x01;
            else data = data[..^16];
            content.Data = data;
            await db.SaveChangesAsync();
        }

        var job = await client.SubmitJobAsync(new SubmitJobRequest
        {
            DatasetId = dataset.Id,
            Layers = [new LayerDefinition(2, Activation.Softmax)],
            Cost = Cost.CrossEntropy,
            Epochs = 1,
        });
        var done = await client.WaitUntilFinishedAsync(job.Id, TimeSpan.FromSeconds(30));

        Assert.Equal(JobStatus.Failed, done.Status);
        Assert.Contains($"stored dataset is {expected}", done.Error);
    }
}
