using System.Collections.Concurrent;
using System.Net;
using System.Text;
using BackpropService.Api.Tests.Access;
using BackpropService.Api.Tests.Infrastructure;
using BackpropService.Contracts;
using BackpropService.Tests.Shared;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BackpropService.Api.Tests.SqliteOnly;

/// <summary>
/// A key's secret is shown once and then exists nowhere the service writes: not in the database, not in the logs.
/// (SQLite only: it reads the database file and its WAL as they are on disk.)
/// </summary>
public sealed class KeySecrecyTests
{
    [Fact]
    public async Task A_created_key_secret_appears_neither_in_the_database_file_nor_its_wal_nor_in_the_logs()
    {
        using var database = new TempDatabase();
        var logs = new CapturingLoggerProvider();
        await using var factory = database.CreateFactory(new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Trace" });
        factory.TestServices = services => services.AddSingleton<ILoggerProvider>(logs);
        using var admin = factory.CreateClient();

        var created = await new KeyClient(admin).CreateAsync("secret-test", ApiKeyScope.Train);
        Assert.StartsWith("bp_", created.Key);
        using (var client = factory.CreateClientWithKey(created.Key))
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/jobs")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/keys")).StatusCode);
        }
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/keys/{created.Id}")).StatusCode);
        using (var client = factory.CreateClientWithKey(created.Key))
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/jobs")).StatusCode);

        // The list never shows a secret.
        var listed = await admin.GetStringAsync("/api/keys");
        Assert.DoesNotContain(created.Key, listed);
        Assert.DoesNotContain(ServiceFactory.AdminKey, listed);

        // Read the database as it is on disk, WAL included, while the service still runs.
        var stored = ReadDatabaseFiles(database.Path);
        Assert.Contains(Hex(created.Key), stored); // the hash is there: we are reading the right files
        foreach (var secret in new[] { created.Key, ServiceFactory.AdminKey })
        {
            Assert.DoesNotContain(secret, stored);
            Assert.False(Contains(stored, Encoding.Unicode.GetBytes(secret)), "the secret is stored as UTF-16");
        }

        Assert.NotEmpty(logs.Messages);
        Assert.DoesNotContain(logs.Messages, m => m.Contains(created.Key, StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Messages, m => m.Contains(ServiceFactory.AdminKey, StringComparison.Ordinal));
    }

    private static string ReadDatabaseFiles(string databasePath)
    {
        var text = new StringBuilder();
        foreach (var path in new[] { databasePath, databasePath + "-wal" })
        {
            if (!File.Exists(path)) continue;
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            text.Append(Encoding.Latin1.GetString(copy.ToArray()));
        }
        SqliteConnection.ClearAllPools();
        return text.ToString();
    }

    private static string Hex(string secret) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static bool Contains(string haystackLatin1, byte[] needle) =>
        haystackLatin1.Contains(Encoding.Latin1.GetString(needle), StringComparison.Ordinal);

    /// <summary>Keeps every formatted log message, scopes and exceptions included.</summary>
    private sealed class CapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
    {
        private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();
        public ConcurrentQueue<string> Messages { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

        public void Dispose()
        {
        }

        private sealed class Logger(CapturingLoggerProvider provider, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => provider._scopes.Push(state);

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var line = new StringBuilder($"{category}: {formatter(state, exception)} {exception}");
                provider._scopes.ForEachScope((scope, builder) => builder.Append(" | ").Append(scope), line);
                provider.Messages.Enqueue(line.ToString());
            }
        }
    }
}
