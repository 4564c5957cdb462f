using System.Net;
using System.Text.Json;
using BackpropService.Api.Persistence;
using BackpropService.Api.Tests.Infrastructure;
using BackpropService.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BackpropService.Api.Tests;

/// <summary>
/// Lists come a page at a time (<c>?limit=&amp;after=</c>): the body stays a JSON array, and a page that has more
/// after it says where the next one starts (<c>X-Next-Cursor</c>, <c>Link: &lt;…&gt;; rel="next"</c>).
/// </summary>
public sealed class PagingTests
{
    private static SubmitJobRequest TinyJob(string name) => XorJobs.Request(name, epochs: 1);

    [Fact]
    public async Task Walking_the_job_pages_by_cursor_or_by_link_visits_every_job_once_newest_first()
    {
        using var database = new TempDatabase();
        await using var factory = database.CreateFactory();
        var client = factory.CreateClient();
        var submitted = new List<string>();
        for (int i = 0; i < 7; i++) submitted.Add((await client.SubmitJobAsync(TinyJob($"job{i}"))).Id);
        submitted.Reverse();

        var byCursor = await WalkByCursorAsync<Job>(client, "/api/jobs", limit: 3);
        Assert.Equal([3, 3, 1], byCursor.Select(p => p.Count));
        Assert.Equal(submitted, byCursor.SelectMany(p => p).Select(j => j.Id));

        var byLink = await WalkByLinkAsync<Job>(client, "/api/jobs?limit=3");
        Assert.Equal(submitted, byLink.SelectMany(p => p).Select(j => j.Id));

        // Without ?limit= a page holds 50; these 7 fit on one, which has no next page.
        var all = await client.GetAsync("/api/jobs");
        Assert.False(all.Headers.Contains("X-Next-Cursor"));
        Assert.False(all.Headers.Contains("Link"));
        Assert.Equal(submitted, JsonSerializer.Deserialize<List<Job>>(await all.Content.ReadAsStringAsync(), ApiClient.Json)!.Select(j => j.Id));
    }

    [Fact]
    public async Task The_next_link_keeps_the_other_query_parameters()
    {
        using var database = new TempDatabase();
        await using var factory = database.CreateFactory();
        var client = factory.CreateClient();
        var jobs = new List<Job>();
        for (int i = 0; i < 3; i++) jobs.Add(await client.SubmitJobAsync(TinyJob($"job{i}")));
        foreach (var job in jobs) await client.WaitUntilFinishedAsync(job.Id, TimeSpan.FromSeconds(60));

        var pages = await WalkByLinkAsync<Job>(client, "/api/jobs?status=succeeded&limit=1");
        Assert.Equal(3, pages.Count);
        Assert.All(pages.SelectMany(p => p), j => Assert.Equal(JobStatus.Succeeded, j.Status));
        Assert.Equal(jobs.Select(j => j.Id).Reverse(), pages.SelectMany(p => p).Select(j => j.Id));
    }

    [Fact]
    public async Task Rows_created_at_the_same_instant_are_paged_by_id_without_loss_or_repeat()
    {
        using var database = new TempDatabase();
        await using var factory = database.CreateFactory();
        var client = factory.CreateClient();
        var instant = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        await using (var db = await factory.Services.GetRequiredService<IDbContextFactory<BackpropDbContext>>().CreateDbContextAsync())
        {
            for (int i = 0; i < 5; i++)
                db.ApiKeys.Add(new ApiKeyEntity
                {
                    Id = Guid.NewGuid().ToString("N"), Name = $"twin{i}", Hash = Guid.NewGuid().ToString("N"),
                    Scopes = [ApiKeyScope.Predict], CreatedAt = instant,
                });
            await db.SaveChangesAsync();
        }

        var pages = await WalkByCursorAsync<ApiKeyInfo>(client, "/api/keys", limit: 2);
        var walked = pages.SelectMany(p => p).ToList();
        Assert.Equal(6, walked.Count); // the 5 twins and the admin key
        Assert.Equal(walked.Count, walked.Select(k => k.Id).Distinct().Count());
        var expected = walked.OrderByDescending(k => k.CreatedAt).ThenByDescending(k => k.Id, StringComparer.Ordinal).Select(k => k.Id);
        Assert.Equal(expected, walked.Select(k => k.Id));
    }

    [Fact]
    public async Task Datasets_list_the_built_in_ones_then_the_uploads_oldest_first_and_a_deleted_row_does_not_break_the_walk()
    {
        using var database = new TempDatabase();
        await using var factory = database.CreateFactory();
        var client = factory.CreateClient();
        var uploads = new List<string>();
        for (int i = 0; i < 4; i++) uploads.Add((await client.UploadCsvAsync(TestData.BlobsCsv(20, 2, 2, seed: i), $"u{i}.csv")).Id);
        string[] builtIns = ["xor", "circles", "moons", "spirals", "blobs", "sine"];

        var first = await GetPageAsync<DatasetInfo>(client, "/api/datasets?limit=4");
        Assert.Equal(builtIns[..4], first.Items.Select(d => d.Id));
        var second = await GetPageAsync<DatasetInfo>(client, $"/api/datasets?limit=4&after={first.Next}");
        Assert.Equal([builtIns[4], builtIns[5], uploads[0], uploads[1]], second.Items.Select(d => d.Id));

        // The page's last item goes away before the next page is asked for: the cursor holds its key, not its id.
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/datasets/{uploads[1]}")).StatusCode);
        var third = await GetPageAsync<DatasetInfo>(client, $"/api/datasets?limit=4&after={second.Next}");
        Assert.Equal(uploads[2..], third.Items.Select(d => d.Id));
        Assert.Null(third.Next);
    }

    [Fact]
    public async Task Models_are_paged_newest_first()
    {
        using var database = new TempDatabase();
        await using var factory = database.CreateFactory();
        var client = factory.CreateClient();
        var jobs = new List<Job>();
        for (int i = 0; i < 3; i++) jobs.Add(await client.SubmitJobAsync(TinyJob($"model{i}")));
        var models = new List<string>();
        foreach (var job in jobs) models.Add((await client.WaitUntilFinishedAsync(job.Id, TimeSpan.FromSeconds(60))).ModelId!);
        var expected = (await client.GetAsync<List<ModelInfo>>("/api/models"))
            .OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id, StringComparer.Ordinal).Select(m => m.Id).ToList();
        Assert.Equal(models.Order(), expected.Order());

        var pages = await WalkByCursorAsync<ModelInfo>(client, "/api/models", limit: 2);
        Assert.Equal(expected, pages.SelectMany(p => p).Select(m => m.Id));
    }

    [Theory]
    [InlineData("/api/jobs", "limit=0", "limit")]
    [InlineData("/api/jobs", "limit=501", "limit")]
    [InlineData("/api/jobs", "limit=ten", "limit")]
    [InlineData("/api/jobs", "limit=-5", "limit")]
    [InlineData("/api/jobs", "after=not-a-cursor", "after")]
    [InlineData("/api/datasets", "limit=1.5", "limit")]
    [InlineData("/api/datasets", "after=%25%25", "after")]
    [InlineData("/api/models", "limit=100000000000", "limit")]
    [InlineData("/api/models", "after=bW9kZWxz", "after")]
    [InlineData("/api/keys", "limit=%20", "limit")]
    [InlineData("/api/keys", "after=eHl6", "after")]
    public async Task A_bad_limit_or_cursor_gets_400_naming_the_field(string list, string query, string field)
    {
        using var database = new TempDatabase();
        await using var factory = database.CreateFactory();
        var client = factory.CreateClient();

        var response = await client.GetAsync($"{list}?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out var messages), problem.RootElement.GetRawText());
        Assert.NotEmpty(messages.EnumerateArray().Single().GetString()!);
    }

    [Fact]
    public async Task A_cursor_of_one_list_is_refused_by_another()
    {
        using var database = new TempDatabase();
        await using var factory = database.CreateFactory();
        var client = factory.CreateClient();
        await client.SubmitJobAsync(TinyJob("a"));
        await client.SubmitJobAsync(TinyJob("b"));
        var jobs = await GetPageAsync<Job>(client, "/api/jobs?limit=1");
        Assert.NotNull(jobs.Next);

        var response = await client.GetAsync($"/api/models?after={jobs.Next}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("\"after\"", await response.Content.ReadAsStringAsync());
    }

    private sealed record Page<T>(List<T> Items, string? Next, string? NextLink);

    private static async Task<Page<T>> GetPageAsync<T>(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url}: {(int)response.StatusCode} {body}");
        string? next = response.Headers.TryGetValues("X-Next-Cursor", out var cursors) ? cursors.Single() : null;
        string? link = response.Headers.TryGetValues("Link", out var links) ? links.Single() : null;
        // Both or neither: a page with more after it says so in both headers.
        Assert.Equal(next is null, link is null);
        string? nextLink = null;
        if (link is not null)
        {
            Assert.EndsWith(">; rel=\"next\"", link);
            nextLink = link[1..link.IndexOf('>')];
            Assert.Contains($"after={Uri.EscapeDataString(next!)}", nextLink);
        }
        return new Page<T>(JsonSerializer.Deserialize<List<T>>(body, ApiClient.Json)!, next, nextLink);
    }

    private static async Task<List<List<T>>> WalkByCursorAsync<T>(HttpClient client, string list, int limit)
    {
        var pages = new List<List<T>>();
        string? after = null;
        do
        {
            var page = await GetPageAsync<T>(client, $"{list}?limit={limit}" + (after is null ? "" : $"&after={Uri.EscapeDataString(after)}"));
            pages.Add(page.Items);
            after = page.Next;
            Assert.True(pages.Count < 100, "the walk does not end");
        }
        while (after is not null);
        return pages;
    }

    private static async Task<List<List<T>>> WalkByLinkAsync<T>(HttpClient client, string url)
    {
        var pages = new List<List<T>>();
        for (string? next = url; next is not null;)
        {
            var page = await GetPageAsync<T>(client, next);
            pages.Add(page.Items);
            next = page.NextLink;
            Assert.True(pages.Count < 100, "the walk does not end");
        }
        return pages;
    }
}
