using System.Net;
using BackpropService.Api.Tests.Infrastructure;
using BackpropService.Contracts;
using BackpropService.Tests.Shared;

namespace BackpropService.Api.Tests.Access;

/// <summary>A configured admin key (<c>Auth:AdminKey</c>) is added once and never brought back once revoked.</summary>
public sealed class AdminKeyBootstrapTests
{
    [Fact]
    public async Task A_configured_admin_key_that_was_revoked_stays_revoked_after_a_restart()
    {
        using var database = new TempDatabase();
        await using (var first = database.CreateFactory())
        {
            using var admin = first.CreateClient();
            var keys = await admin.GetAsync<List<ApiKeyInfo>>("/api/keys");
            var configured = Assert.Single(keys);
            var other = await new KeyClient(admin).CreateAsync("second admin", ApiKeyScope.Admin);
            using var otherAdmin = first.CreateClientWithKey(other.Key);
            Assert.Equal(HttpStatusCode.NoContent, (await otherAdmin.DeleteAsync($"/api/keys/{configured.Id}")).StatusCode);
        }

        await using var second = database.CreateFactory();
        using var client = second.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/keys")).StatusCode);
    }
}
