using System.Net;
using BackpropService.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace BackpropService.Api.Tests;

/// <summary>
/// <c>AllowedHosts</c> (README, Configuration): any host name by default, as behind a reverse proxy; once set to the
/// public names, a request under another name (a DNS-rebinding page) gets 400.
/// </summary>
public sealed class AllowedHostsTests
{
    [Fact]
    public async Task By_default_the_service_answers_under_any_host_name()
    {
        using var database = new TempDatabase();
        await using var factory = database.CreateFactory();
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://backprop.internal.example/") });

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/limits")).StatusCode);
    }

    [Fact]
    public async Task With_the_public_names_set_a_request_under_another_name_gets_400()
    {
        using var database = new TempDatabase();
        await using var factory = database.CreateFactory(new Dictionary<string, string?> { ["AllowedHosts"] = "backprop.example.com;localhost" });
        using var listed = factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://backprop.example.com/") });
        using var foreign = factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://rebound.attacker.example/") });

        Assert.Equal(HttpStatusCode.OK, (await listed.GetAsync("/api/limits")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await foreign.GetAsync("/api/limits")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await foreign.GetAsync("/health/live")).StatusCode);
    }
}
