using BackpropService.Api.Tests.Infrastructure;
using BackpropService.Contracts;

namespace BackpropService.Api.Tests;

public sealed class JobOutcomeTests
{
    [Fact]
    public async Task A_diverging_job_fails_with_an_error_that_suggests_a_smaller_learning_rate()
    {
        using var database = new TempDatabase();
        await using var factory = database.CreateFactory();
        var client = factory.CreateClient();

        var job = await client.SubmitJobAsync(new SubmitJobRequest
        {
            Name = "boom",
            DatasetId = "sine",
            Layers = [new LayerDefinition(64, Activation.Relu), new LayerDefinition(1, Activation.Identity)],
            LearningRate = 900,
            Epochs = 20,
        });
        var failed = await client.WaitUntilFinishedAsync(job.Id, TimeSpan.FromMinutes(1));

        Assert.Equal(JobStatus.Failed, failed.Status);
        Assert.Contains("smaller learning rate", failed.Error);
        Assert.Null(failed.ModelId);
        Assert.NotNull(failed.FinishedAt);
    }

    [Fact]
    public async Task A_regression_job_predicts_plain_outputs_and_evaluates_with_mse_mae_and_r2()
    {
        using var database = new TempDatabase();
        await using var factory = database.CreateFactory();
        var client = factory.CreateClient();

        var job = await client.SubmitJobAsync(new SubmitJobRequest
        {
            Name = "sine",
            DatasetId = "sine",
            Layers = [new LayerDefinition(16, Activation.Tanh), new LayerDefinition(1, Activation.Identity)],
            Optimizer = Optimizer.Adam,
            LearningRate = 0.01,
            Epochs = 40,
        });
        var done = await client.WaitUntilFinishedAsync(job.Id, TimeSpan.FromMinutes(1));
        Assert.True(done.Status == JobStatus.Succeeded, done.Error);
        Assert.Null(done.Latest!.TrainAccuracy);

        var prediction = await client.PostAsync<PredictResponse>("/predict", new PredictRequest("sine", [[0.5f]]));
        Assert.Null(prediction.Predictions[0].Class);
        Assert.Single(prediction.Predictions[0].Outputs);

        var report = await client.PostAsync<EvaluationReport>($"/api/models/{done.ModelId}/evaluate", new EvaluateRequest("sine"));
        Assert.Null(report.Accuracy);
        Assert.NotNull(report.Mse);
        Assert.NotNull(report.Mae);
        Assert.True(report.R2 > 0.8, $"r2 {report.R2}");
    }
}
