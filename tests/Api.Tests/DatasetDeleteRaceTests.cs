using System.Data.Common;
using System.Net;
using System.Text.Json;
using BackpropService.Api.Persistence;
using BackpropService.Api.Tests.Infrastructure;
using BackpropService.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace BackpropService.Api.Tests;

public sealed class DatasetDeleteRaceTests
{
    [Fact]
    public async Task A_dataset_deleted_while_a_job_on_it_is_being_submitted_never_leaves_an_accepted_job_without_its_dataset()
    {
        using var database = new TempDatabase();
        var gate = new InsertGate();
        await using var factory = database.CreateFactory();
        factory.TestServices = services => services.ConfigureDbContext<BackpropDbContext>(o => o.AddInterceptors(gate));
        var client = factory.CreateClient();
        var dataset = await client.UploadCsvAsync(TestData.BlobsCsv(60, 2, 2, seed: 1), "race.csv");

        // The submit is held just before it inserts its job row; the delete runs in that window.
        gate.Armed = true;
        var submit = client.PostAsync("/api/jobs", System.Net.Http.Json.JsonContent.Create(new SubmitJobRequest
        {
            DatasetId = dataset.Id,
            Layers = [new LayerDefinition(2, Activation.Softmax)],
            Cost = Cost.CrossEntropy,
            Epochs = 1,
        }, options: ApiClient.Json));
        await gate.Reached.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var delete = client.DeleteAsync($"/api/datasets/{dataset.Id}");
        // Let the insert go once the delete has answered, or after a while if the delete has to wait for it.
        await Task.WhenAny(delete, Task.Delay(TimeSpan.FromSeconds(2)));
        gate.Release.SetResult();
        var (submitted, deleted) = (await submit, await delete);

        Assert.True(submitted.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.BadRequest, $"submit: {(int)submitted.StatusCode}");
        Assert.True(deleted.StatusCode is HttpStatusCode.NoContent or HttpStatusCode.Conflict, $"delete: {(int)deleted.StatusCode}");
        if (submitted.StatusCode == HttpStatusCode.Accepted)
        {
            // The delete may only succeed once the job no longer needs the dataset (it may finish first).
            var job = JsonSerializer.Deserialize<Job>(await submitted.Content.ReadAsStringAsync(), ApiClient.Json)!;
            var done = await client.WaitUntilFinishedAsync(job.Id, TimeSpan.FromSeconds(30));
            Assert.True(done.Status == JobStatus.Succeeded, $"the accepted job {done.Status}: {done.Error}");
        }
        else
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
            Assert.Empty(await client.GetAsync<List<Job>>("/api/jobs"));
        }
    }

    /// <summary>Holds the first INSERT into the jobs table until released.</summary>
    private sealed class InsertGate : DbCommandInterceptor
    {
        public volatile bool Armed;
        public TaskCompletionSource Reached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            await HoldAsync(command);
            return result;
        }

        public override async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            await HoldAsync(command);
            return result;
        }

        private async Task HoldAsync(DbCommand command)
        {
            if (!Armed || !command.CommandText.Contains("INSERT INTO \"Jobs\"", StringComparison.Ordinal)) return;
            Armed = false;
            Reached.TrySetResult();
            await Release.Task;
        }
    }
}
