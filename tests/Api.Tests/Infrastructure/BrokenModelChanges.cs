using BackpropService.Api.Models;

namespace BackpropService.Api.Tests.Infrastructure;

/// <summary>A model store that fails every write (not a database error): a job's model can never be stored.</summary>
internal sealed class BrokenModelChanges : IModelChanges
{
    public IAsyncDisposable BeginWrite(string? name, string? modelId) => throw new IOException("the model store is broken (test)");
}
