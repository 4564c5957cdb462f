using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BackpropService.Contracts;
using BackpropService.Tests.Shared;

namespace BackpropService.Api.Tests.Access;

/// <summary>Creates keys through <c>POST /api/keys</c> with an admin client.</summary>
public sealed class KeyClient(HttpClient admin)
{
    public async Task<CreatedApiKey> CreateAsync(string name, params ApiKeyScope[] scopes)
    {
        var response = await admin.PostAsJsonAsync("/api/keys", new CreateApiKeyRequest(name, scopes), ApiClient.Json);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"create key: {(int)response.StatusCode} {body}");
        return JsonSerializer.Deserialize<CreatedApiKey>(body, ApiClient.Json)!;
    }
}
