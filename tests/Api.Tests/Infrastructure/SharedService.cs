namespace BackpropService.Api.Tests.Infrastructure;

/// <summary>
/// One service on one database for every case of a test class (an <c>IClassFixture</c>), for classes whose cases only
/// send requests the service must refuse and then check that nothing changed. Starting a service and a database per
/// case was most of their time (62 cases of <c>BadInputTests</c>: 25 s on SQLite, 41 s on PostgreSQL); a case that
/// wrongly changed something still fails its own "nothing changed" check, and the ones after it.
/// </summary>
public class SharedService : IAsyncLifetime, IDisposable
{
    private readonly TempDatabase _database = new();
    private ServiceFactory? _factory;

    /// <summary>An admin client of the service.</summary>
    public HttpClient Client { get; private set; } = null!;

    /// <summary>Settings the service starts with, on top of the test defaults.</summary>
    protected virtual IReadOnlyDictionary<string, string?>? Settings => null;

    /// <summary>Data every case needs, put in through <paramref name="client"/> once before the first case.</summary>
    protected virtual Task SetUpAsync(HttpClient client) => Task.CompletedTask;

    public async Task InitializeAsync()
    {
        _factory = _database.CreateFactory(Settings);
        Client = _factory.CreateClient();
        await SetUpAsync(Client);
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (_factory is not null) await _factory.DisposeAsync();
    }

    /// <summary>After <see cref="DisposeAsync"/> (xunit calls both): the service is stopped, its database can go.</summary>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing) _database.Dispose();
    }
}
