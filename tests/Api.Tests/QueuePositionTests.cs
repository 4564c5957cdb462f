using BackpropService.Api.Tests.Infrastructure;
using BackpropService.Contracts;

namespace BackpropService.Api.Tests;

/// <summary>A queued job says where it stands in the queue: 1 for the job the worker claims next.</summary>
public sealed class QueuePositionTests
{
    [Fact]
    public async Task Jobs_waiting_behind_a_running_job_get_positions_1_and_2_and_move_up_when_the_one_ahead_leaves_the_queue()
    {
        using var database = new TempDatabase();
        await using var factory = database.CreateFactory(new Dictionary<string, string?> { ["Training:Concurrency"] = "1" });
        var client = factory.CreateClient();
        var dataset = await LongJobs.UploadAsync(client);
        var running = await client.SubmitJobAsync(LongJobs.Request(dataset.Id, epochs: 5000));
        await client.WaitForJobAsync(running.Id, j => j.Status == JobStatus.Running, TimeSpan.FromSeconds(30));

        var first = await client.SubmitJobAsync(SmallJob("first"));
        var second = await client.SubmitJobAsync(SmallJob("second"));

        // The 202 answers, a get of each job and the list agree.
        Assert.Equal(1, first.QueuePosition);
        Assert.Equal(2, second.QueuePosition);
        Assert.Equal(1, (await client.GetAsync<Job>($"/api/jobs/{first.Id}")).QueuePosition);
        Assert.Equal(2, (await client.GetAsync<Job>($"/api/jobs/{second.Id}")).QueuePosition);
        var listed = (await client.GetAsync<List<Job>>("/api/jobs")).ToDictionary(j => j.Id);
        Assert.Equal(1, listed[first.Id].QueuePosition);
        Assert.Equal(2, listed[second.Id].QueuePosition);
        Assert.Null(listed[running.Id].QueuePosition);
        Assert.Null((await client.GetAsync<Job>($"/api/jobs/{running.Id}")).QueuePosition);

        // The job ahead leaves the queue: the second one is next.
        await client.PostAsync($"/api/jobs/{first.Id}/cancel", content: null);
        Assert.Null((await client.GetAsync<Job>($"/api/jobs/{first.Id}")).QueuePosition);
        Assert.Equal(1, (await client.GetAsync<Job>($"/api/jobs/{second.Id}")).QueuePosition);
        Assert.Equal(1, (await client.GetAsync<List<Job>>("/api/jobs?status=queued")).Single().QueuePosition);

        // Once the worker is free it claims that job, which then has no position.
        await client.PostAsync($"/api/jobs/{running.Id}/cancel", content: null);
        var claimed = await client.WaitForJobAsync(second.Id, j => j.Status != JobStatus.Queued, TimeSpan.FromSeconds(30));
        Assert.Null(claimed.QueuePosition);
    }

    private static SubmitJobRequest SmallJob(string name) => new()
    {
        Name = name,
        DatasetId = "xor",
        Layers = [new LayerDefinition(4, Activation.Tanh), new LayerDefinition(2, Activation.Softmax)],
        Epochs = 5,
    };
}
