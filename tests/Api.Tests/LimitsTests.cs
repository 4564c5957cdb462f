using BackpropService.Api.Tests.Infrastructure;
using BackpropService.Contracts;

namespace BackpropService.Api.Tests;

public sealed class LimitsTests
{
    [Fact]
    public async Task The_limits_endpoint_reports_the_configured_request_sizes()
    {
        using var database = new TempDatabase();
        await using var factory = database.CreateFactory(new Dictionary<string, string?>
        {
            ["Limits:MaxUploadBytes"] = "123456",
            ["Limits:MaxJsonBytes"] = "65536",
            ["Limits:MaxPredictRows"] = "77",
        });
        var client = factory.CreateClient();

        var limits = await client.GetAsync<RequestLimits>("/api/limits");

        Assert.Equal(new RequestLimits(123456, 65536, 77), limits);
    }
}
