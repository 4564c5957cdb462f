using System.Collections.Concurrent;
using System.Data.Common;
using System.Net;
using BackpropService.Api.Persistence;
using BackpropService.Api.Tests.Infrastructure;
using BackpropService.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace BackpropService.Api.Tests;

public sealed class DecisionBoundaryTests
{
    [Fact]
    public async Task A_job_on_data_that_is_not_two_feature_classification_gets_400_without_loading_the_dataset()
    {
        using var database = new TempDatabase();
        var commands = new CommandLog();
        await using var factory = database.CreateFactory();
        factory.TestServices = services => services.ConfigureDbContext<BackpropDbContext>(o => o.AddInterceptors(commands));
        var client = factory.CreateClient();
        var dataset = await client.UploadCsvAsync(TestData.BlobsCsv(60, 3, 2, seed: 1), "three.csv");
        var job = await client.SubmitJobAsync(new SubmitJobRequest
        {
            DatasetId = dataset.Id,
            Layers = [new LayerDefinition(2, Activation.Softmax)],
            Cost = Cost.CrossEntropy,
            Epochs = 1,
        });
        await client.WaitUntilFinishedAsync(job.Id, TimeSpan.FromSeconds(30));

        commands.Texts.Clear();
        var response = await client.GetAsync($"/api/jobs/{job.Id}/decision-boundary");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("3 features", await response.Content.ReadAsStringAsync());
        Assert.DoesNotContain(commands.Texts, text => text.Contains("DatasetContents", StringComparison.Ordinal));
    }

    private sealed class CommandLog : DbCommandInterceptor
    {
        public ConcurrentBag<string> Texts { get; } = [];

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Texts.Add(command.CommandText);
            return ValueTask.FromResult(result);
        }
    }
}
