using System.Text.Json;
using BackpropService.Api.Persistence;
using BackpropService.Contracts;
using BackpropService.Contracts.Json;

namespace BackpropService.Api.Mapping;

/// <summary>From stored rows to wire records.</summary>
public static class EntityMapping
{
    public static DateTimeOffset AsUtc(this DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    public static DateTimeOffset? AsUtc(this DateTime? value) => value?.AsUtc();

    public static EpochMetrics ToContract(this EpochMetricsEntity m) => new(
        m.JobId, m.Epoch, m.TrainLoss, m.TrainAccuracy, m.ValidationLoss, m.ValidationAccuracy, m.LearningRate,
        m.GradientNorms, m.Seconds);

    public static EpochMetricsEntity ToEntity(this EpochMetrics m) => new()
    {
        JobId = m.JobId,
        Epoch = m.Epoch,
        TrainLoss = m.TrainLoss,
        TrainAccuracy = m.TrainAccuracy,
        ValidationLoss = m.ValidationLoss,
        ValidationAccuracy = m.ValidationAccuracy,
        LearningRate = m.LearningRate,
        GradientNorms = [.. m.GradientNorms],
        Seconds = m.Seconds,
    };

    /// <param name="queuePosition">The job's place in the queue (see <see cref="JobQueries"/>); ignored unless it is queued.</param>
    public static Job ToContract(this JobEntity job, EpochMetricsEntity? latest, int? queuePosition) => new(
        job.Id, job.Name, job.Status, job.DatasetId, job.Epoch, job.Epochs, job.CreatedAt.AsUtc(),
        job.StartedAt.AsUtc(), job.FinishedAt.AsUtc(), job.Error, job.ModelId, latest?.ToContract(),
        ReadOptions(job.Options), job.Status == JobStatus.Queued ? queuePosition : null,
        CreatorOf(job.CreatedByKeyId, job.CreatedByName), job.Attempts, job.LeaseOwner,
        job.Status == JobStatus.Running ? job.LeaseExpiresAt.AsUtc() : null, job.SweepId);

    public static JobOptions ReadOptions(string json) =>
        JsonSerializer.Deserialize<JobOptions>(json, ContractJson.Options)
        ?? throw new InvalidOperationException("A stored job has no options.");

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, ContractJson.Options);

    public static ModelInfo ToContract(this ModelEntity model) => new(
        model.Id, model.Name, model.Version, model.JobId, model.DatasetId, model.Task, model.Inputs, model.Outputs,
        model.Classes, JsonSerializer.Deserialize<List<LayerShape>>(model.Layers, ContractJson.Options) ?? [],
        model.Metrics is null ? null : JsonSerializer.Deserialize<EpochMetrics>(model.Metrics, ContractJson.Options),
        model.CreatedAt.AsUtc(), CreatorOf(model.CreatedByKeyId, model.CreatedByName),
        model.InputShape is null ? null : JsonSerializer.Deserialize<int[]>(model.InputShape, ContractJson.Options));

    public static ApiKeyInfo ToContract(this ApiKeyEntity key) => new(
        key.Id, key.Name, key.Scopes, key.CreatedAt.AsUtc(), key.ExpiresAt.AsUtc(), key.RevokedAt.AsUtc(),
        CreatorOf(key.CreatedByKeyId, key.CreatedByName));

    public static ModelAlias ToContract(this ModelAliasEntity alias, string? modelId) => new(
        alias.Name, alias.Alias, alias.Version, modelId, alias.UpdatedAt.AsUtc(), CreatorOf(alias.UpdatedByKeyId, alias.UpdatedByName));

    /// <summary>The <c>createdBy</c> of a stored row; null for rows from before access control.</summary>
    public static Creator? CreatorOf(string? keyId, string? keyName) => keyId is null ? null : new Creator(keyId, keyName ?? keyId);
}
