using System.Net;
using BackpropService.Api.Hosting;
using BackpropService.Api.Options;
using BackpropService.Api.Tests.Infrastructure;
using BackpropService.Api.Training;
using BackpropService.Contracts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace BackpropService.Api.Tests;

/// <summary>
/// <c>--role all | api | worker</c> (<c>Service:Role</c>): an api process queues and serves, a worker process trains
/// and serves only <c>/health/*</c>, and both share one database.
/// </summary>
public sealed class ServiceRoleTests
{
    [Fact]
    public async Task A_job_submitted_to_an_api_process_is_trained_by_a_worker_process_on_the_same_database()
    {
        using var database = new TempDatabase();
        var settings = new Dictionary<string, string?> { ["Training:WarmUp"] = "false" };
        await using var api = await ServiceProcess.StartAsync(database,
            new Dictionary<string, string?>(settings) { [ServiceRoleExtensions.Key] = "api" });
        var client = api.CreateClient();
        var job = await client.SubmitJobAsync(XorJobs.Request("through the api", epochs: 20));
        Assert.Equal(JobStatus.Queued, job.Status);

        await using var worker = await ServiceProcess.StartAsync(database, settings, ["--role", "worker"]);
        var finished = await client.WaitUntilFinishedAsync(job.Id, TimeSpan.FromMinutes(1));
        Assert.True(finished.Status == JobStatus.Succeeded, $"{finished.Status}: {finished.Error}\n{worker.Output}");
        Assert.Equal(20, finished.Epoch);

        // The worker serves its health and nothing else: no API, Swagger, hub or dashboard.
        var probe = worker.CreateClient();
        using (var ready = await probe.GetAsync("health/ready")) Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        using (var live = await probe.GetAsync("health/live")) Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        foreach (var path in new[] { "api/jobs", "api/models", "swagger/v1/swagger.json", "hubs/training/negotiate", "" })
        {
            using var response = await probe.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"GET /{path} on a worker answered {(int)response.StatusCode}");
        }
    }

    [Theory]
    [InlineData("api", false)]
    [InlineData("API", false)]
    [InlineData("worker", true)]
    [InlineData("all", true)]
    [InlineData(null, true)]
    public void Only_the_roles_that_train_run_the_training_worker(string? role, bool trains)
    {
        using var database = new TempDatabase();
        using var factory = new ServiceFactory(database,
            role is null ? null : new Dictionary<string, string?> { [ServiceRoleExtensions.Key] = role });
        var hosted = factory.Services.GetServices<IHostedService>();
        Assert.Equal(trains, hosted.OfType<TrainingWorker>().Any());
        Assert.Equal(role is null ? ServiceRole.All : Enum.Parse<ServiceRole>(role, ignoreCase: true), factory.Services.GetRequiredService<IOptions<ServiceOptions>>().Value.Role);
    }

    [Theory]
    [InlineData("trainer")]
    [InlineData("1")]
    public void An_unknown_role_stops_start_up_with_a_message_naming_the_setting_and_the_roles(string role)
    {
        using var database = new TempDatabase();
        using var factory = new ServiceFactory(database, new Dictionary<string, string?> { [ServiceRoleExtensions.Key] = role });
        var error = Assert.ThrowsAny<Exception>(() => factory.Services);
        var message = error.GetBaseException().Message;
        Assert.Contains($"Service:Role (--role): '{role}' is not a role; use all, api or worker.", message);
    }
}
