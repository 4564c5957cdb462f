using System.Net;
using BackpropService.Api.Tests.Infrastructure;
using BackpropService.Contracts;
using BackpropService.Tests.Shared;

namespace BackpropService.Api.Tests.SqliteOnly;

/// <summary>
/// A new service without <c>Auth:AdminKey</c> makes its first admin key once and leaves it in admin.key.
/// (SQLite only: admin.key is written beside the database file; on PostgreSQL there is none, and the console has the only copy.)
/// </summary>
public sealed class AdminKeyFileTests
{
    private static readonly Dictionary<string, string?> NoConfiguredKey = new() { ["Auth:AdminKey"] = "" };

    [Fact]
    public async Task Without_a_configured_key_the_first_start_writes_a_working_admin_key_readable_by_the_owner_only_and_later_starts_keep_it()
    {
        using var database = new TempDatabase();
        string keyFile = Path.Combine(Path.GetDirectoryName(database.Path)!, "admin.key");

        string secret;
        await using (var first = database.CreateFactory(NoConfiguredKey))
        {
            using var anonymous = first.CreateClientWithKey(null);
            Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/live")).StatusCode);

            Assert.True(File.Exists(keyFile), "admin.key was not written beside the database");
            if (!OperatingSystem.IsWindows())
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
            secret = (await File.ReadAllTextAsync(keyFile)).Trim();
            Assert.StartsWith("bp_", secret);

            using var admin = first.CreateClientWithKey(secret);
            var keys = await admin.GetAsync<List<ApiKeyInfo>>("/api/keys");
            Assert.Equal([ApiKeyScope.Admin], Assert.Single(keys).Scopes);
            Assert.Equal(HttpStatusCode.Unauthorized, (await first.CreateClientWithKey(ServiceFactory.AdminKey).GetAsync("/api/keys")).StatusCode);
        }

        await using (var second = database.CreateFactory(NoConfiguredKey))
        {
            using var admin = second.CreateClientWithKey(secret);
            Assert.Single(await admin.GetAsync<List<ApiKeyInfo>>("/api/keys"));
            Assert.Equal(secret, (await File.ReadAllTextAsync(keyFile)).Trim());
        }
    }
}
