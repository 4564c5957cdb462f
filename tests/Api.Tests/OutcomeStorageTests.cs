using BackpropService.Api.Models;
using BackpropService.Api.Tests.Infrastructure;
using BackpropService.Contracts;
using Microsoft.Extensions.DependencyInjection;

namespace BackpropService.Api.Tests;

/// <summary>When a job's outcome cannot be stored, the job fails instead of staying running forever.</summary>
public sealed class OutcomeStorageTests
{
    [Fact]
    public async Task A_job_whose_model_cannot_be_stored_fails_saying_so()
    {
        using var database = new TempDatabase();
        await using var factory = WithBrokenModelStore(database.CreateFactory());
        var client = factory.CreateClient();

        var job = await client.SubmitJobAsync(new SubmitJobRequest
        {
            DatasetId = "xor",
            Layers = [new LayerDefinition(4, Activation.Tanh), new LayerDefinition(2, Activation.Softmax)],
            Cost = Cost.CrossEntropy,
            Epochs = 2,
        });
        var done = await client.WaitUntilFinishedAsync(job.Id, TimeSpan.FromSeconds(30));

        Assert.Equal(JobStatus.Failed, done.Status);
        Assert.StartsWith("could not store the outcome", done.Error);
        Assert.Null(done.ModelId);
        Assert.NotNull(done.FinishedAt);
    }

    [Fact]
    public async Task A_cancelled_job_whose_model_cannot_be_stored_fails_instead_of_staying_running()
    {
        using var database = new TempDatabase();
        await using var factory = WithBrokenModelStore(database.CreateFactory());
        var client = factory.CreateClient();
        var dataset = await LongJobs.UploadAsync(client);
        using var events = factory.Services.GetRequiredService<BackpropService.Api.Training.ITrainingEvents>().Subscribe();
        var job = await client.SubmitJobAsync(LongJobs.Request(dataset.Id, epochs: 500));
        await factory.WaitForEpochAsync(events, job.Id, 1, TimeSpan.FromMinutes(1));

        await client.PostAsync($"/api/jobs/{job.Id}/cancel", content: null);
        var done = await client.WaitForJobAsync(job.Id, j => j.Status != JobStatus.Running, TimeSpan.FromSeconds(10));

        Assert.Equal(JobStatus.Failed, done.Status);
        Assert.StartsWith("could not store the outcome", done.Error);
        Assert.Null(done.ModelId);
    }

    private static ServiceFactory WithBrokenModelStore(ServiceFactory factory)
    {
        factory.TestServices = services => services.AddSingleton<IModelChanges, BrokenModelChanges>();
        return factory;
    }
}
