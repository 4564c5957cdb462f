using System.Net;
using System.Text.Json;
using BackpropService.Api.Tests.Infrastructure;

namespace BackpropService.Api.Tests.Access;

/// <summary>Swagger stays open to everyone and tells them how to authorize.</summary>
public sealed class SwaggerSecurityTests
{
    [Fact]
    public async Task The_swagger_document_and_ui_need_no_key_and_mark_every_operation_with_the_bearer_scheme()
    {
        using var database = new TempDatabase();
        await using var factory = database.CreateFactory();
        using var anonymous = factory.CreateClientWithKey(null);

        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/swagger/index.html")).StatusCode);
        var response = await anonymous.GetAsync("/swagger/v1/swagger.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = document.RootElement;

        var scheme = root.GetProperty("components").GetProperty("securitySchemes").GetProperty("ApiKey");
        Assert.Equal("http", scheme.GetProperty("type").GetString());
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());

        var submit = root.GetProperty("paths").GetProperty("/api/jobs").GetProperty("post");
        Assert.True(submit.GetProperty("security")[0].TryGetProperty("ApiKey", out _));
        Assert.Contains("'train' scope", submit.GetProperty("description").GetString());
        Assert.True(submit.GetProperty("responses").TryGetProperty("401", out _));
        Assert.True(submit.GetProperty("responses").TryGetProperty("403", out _));

        // Every documented operation needs a key (the anonymous ones, /health/*, are not in the document).
        foreach (var path in root.GetProperty("paths").EnumerateObject())
            foreach (var operation in path.Value.EnumerateObject())
                Assert.True(operation.Value.TryGetProperty("security", out _), $"{operation.Name} {path.Name} has no security requirement");
    }
}
