using BackpropService.Api.Tests.Access;
using BackpropService.Api.Tests.Infrastructure;
using BackpropService.Contracts;

namespace BackpropService.Api.Tests.Training;

/// <summary>The worker takes turns between the keys that queued jobs, first in, first out within a key.</summary>
public sealed class QueueFairnessTests
{
    [Fact]
    public async Task A_key_with_one_queued_job_goes_before_the_second_job_of_a_key_that_queued_several()
    {
        using var database = new TempDatabase();
        await using var factory = database.CreateFactory(new Dictionary<string, string?> { ["Training:Concurrency"] = "1" });
        var keys = new KeyClient(factory.CreateClient());
        var teamA = factory.CreateClientWithKey((await keys.CreateAsync("team a", ApiKeyScope.Train)).Key);
        var teamB = factory.CreateClientWithKey((await keys.CreateAsync("team b", ApiKeyScope.Train)).Key);

        var dataset = await LongJobs.UploadAsync(teamA);
        var running = await teamA.SubmitJobAsync(LongJobs.Request(dataset.Id, epochs: 5000, name: "a1"));
        await teamA.WaitForJobAsync(running.Id, j => j.Status == JobStatus.Running, TimeSpan.FromSeconds(30));
        var queuedByA = new List<Job>();
        foreach (var name in new[] { "a2", "a3", "a4" }) queuedByA.Add(await teamA.SubmitJobAsync(XorJobs.Request(name, epochs: 5)));
        var queuedByB = await teamB.SubmitJobAsync(XorJobs.Request("b1", epochs: 5));

        // B's only job is next; A's jobs keep their own order behind it. The 202 answer, a get and the list agree.
        Assert.Equal(1, queuedByB.QueuePosition);
        Assert.Equal([2, 3, 4], await Task.WhenAll(queuedByA.Select(async j => (await teamA.GetAsync<Job>($"api/jobs/{j.Id}")).QueuePosition)));
        var listed = (await teamA.GetAsync<List<Job>>("api/jobs?status=queued")).ToDictionary(j => j.Id, j => j.QueuePosition);
        Assert.Equal(1, listed[queuedByB.Id]);
        Assert.Equal([2, 3, 4], queuedByA.Select(j => listed[j.Id]));

        await teamA.CancelJobAsync(running.Id);
        var finishedB = await teamB.WaitUntilFinishedAsync(queuedByB.Id, TimeSpan.FromMinutes(1));
        var finishedA = await Task.WhenAll(queuedByA.Select(j => teamA.WaitUntilFinishedAsync(j.Id, TimeSpan.FromMinutes(1))));
        Assert.All(finishedA.Append(finishedB), j => Assert.True(j.Status == JobStatus.Succeeded, $"{j.Name}: {j.Status} {j.Error}"));
        // One job at a time: each starts once the one before it has finished, B's before A's second.
        Job[] claimOrder = [finishedB, .. finishedA];
        for (int i = 1; i < claimOrder.Length; i++)
            Assert.True(claimOrder[i].StartedAt >= claimOrder[i - 1].FinishedAt,
                $"{claimOrder[i].Name} started at {claimOrder[i].StartedAt:O}, before {claimOrder[i - 1].Name} finished at {claimOrder[i - 1].FinishedAt:O}");
    }
}
