namespace BackpropService.Api.Models;

/// <summary>
/// Told about every write to the stored models (a job's model, an import, a delete, an alias set or
/// removed), so that what is held in memory for <c>/predict</c> never outlives what is stored.
/// </summary>
public interface IModelChanges
{
    /// <summary>
    /// Announces a write before it commits: a new version or a changed alias of <paramref name="name"/>, or the
    /// deletion of <paramref name="modelId"/>. Dispose the result once the write has committed or failed; until then
    /// nothing about that name or id is served from memory or put into it. Disposing also tells the other processes of
    /// the service (if any) and returns once they have forgotten the name or id too.
    /// </summary>
    IAsyncDisposable BeginWrite(string? name, string? modelId);
}
