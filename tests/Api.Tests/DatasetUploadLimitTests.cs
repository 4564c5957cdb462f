using System.Net;
using System.Text;
using System.Text.Json;
using System.Threading.RateLimiting;
using BackpropService.Api.Datasets;
using BackpropService.Api.Tests.Infrastructure;
using BackpropService.Contracts;
using Microsoft.Extensions.DependencyInjection;

namespace BackpropService.Api.Tests;

/// <summary>
/// A CSV upload past the reader's limits gets 400 naming the file, the place and the setting; and one upload is
/// parsed at a time, the next ones wait in a short queue, and past it an upload gets 503 with Retry-After.
/// </summary>
public sealed class DatasetUploadLimitTests
{
    private static MultipartFormDataContent CsvForm(string csv, string fileName = "data.csv")
    {
        var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(Encoding.UTF8.GetBytes(csv)), "file", fileName);
        return form;
    }

    public static TheoryData<string, string, string> CsvPastALimit() => new()
    {
        { "x,label\n1,a\n2," + new string('b', 40) + "\n", "line 3, column 1", "Limits:MaxCsvFieldLength" },
        { "a,b,c,d,e,label\n1,2,3,4,5,x\n", "line 1", "Limits:MaxCsvColumns" },
        // 1,608 bytes of text (under the 2,000), but 2 numbers a row: row 251 (line 252) passes 500 numbers.
        { "x,label\n" + string.Concat(Enumerable.Repeat("0,1\n", 400)), "line 252", "Limits:MaxDatasetBytes" },
    };

    [Theory]
    [MemberData(nameof(CsvPastALimit))]
    public async Task A_csv_past_a_reader_limit_gets_400_naming_the_file_the_place_and_the_setting(string csv, string place, string setting)
    {
        using var database = new TempDatabase();
        await using var factory = database.CreateFactory(new Dictionary<string, string?>
        {
            ["Limits:MaxCsvFieldLength"] = "32",
            ["Limits:MaxCsvColumns"] = "5",
            ["Limits:MaxDatasetBytes"] = "2000", // 500 numbers
        });
        var client = factory.CreateClient();

        var response = await client.PostAsync("/api/datasets", CsvForm(csv));
        string body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, body);
        using var problem = JsonDocument.Parse(body);
        string message = problem.RootElement.GetProperty("errors").GetProperty("file")[0].GetString()!;
        Assert.Contains(place, message);
        Assert.Contains(setting, message);
        Assert.All(await client.GetAsync<List<DatasetInfo>>("/api/datasets"), d => Assert.True(d.BuiltIn));
    }

    [Fact]
    public async Task While_an_upload_is_parsed_the_next_waits_and_one_past_the_queue_gets_503_with_retry_after()
    {
        using var database = new TempDatabase();
        await using var factory = database.CreateFactory(new Dictionary<string, string?> { ["Limits:MaxQueuedUploads"] = "1" });
        var client = factory.CreateClient();
        var limiter = factory.Services.GetRequiredService<DatasetUploadLimiter>();
        string csv = TestData.BlobsCsv(20, 2, 2, seed: 3);

        // Hold the parser as an upload being parsed does; then two uploads arrive together.
        RateLimitLease parsing = await limiter.AcquireAsync(CancellationToken.None);
        Assert.True(parsing.IsAcquired);
        Task<HttpResponseMessage> first = client.PostAsync("/api/datasets", CsvForm(csv, "first.csv"));
        Task<HttpResponseMessage> second = client.PostAsync("/api/datasets", CsvForm(csv, "second.csv"));

        // One of them takes the only place in the queue; the other is refused at once (so the queued one is waiting).
        Task<HttpResponseMessage> refusedTask = await Task.WhenAny(first, second);
        Task<HttpResponseMessage> waiting = refusedTask == first ? second : first;
        HttpResponseMessage refused = await refusedTask;
        string body = await refused.Content.ReadAsStringAsync();
        Assert.True(refused.StatusCode == HttpStatusCode.ServiceUnavailable, body);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal(DatasetUploadLimiter.RetryAfter, refused.Headers.RetryAfter?.Delta);
        Assert.Contains("Limits:MaxQueuedUploads", body);
        Assert.False(waiting.IsCompleted);

        // When the parse ends, the waiting upload goes through.
        parsing.Dispose();
        HttpResponseMessage stored = await waiting;
        Assert.True(stored.StatusCode == HttpStatusCode.Created, await stored.Content.ReadAsStringAsync());
        Assert.Single(await client.GetAsync<List<DatasetInfo>>("/api/datasets"), d => !d.BuiltIn);
    }

    [Fact]
    public async Task A_refused_upload_frees_the_parser_for_the_next()
    {
        using var database = new TempDatabase();
        await using var factory = database.CreateFactory(new Dictionary<string, string?> { ["Limits:MaxQueuedUploads"] = "0" });
        var client = factory.CreateClient();
        var limiter = factory.Services.GetRequiredService<DatasetUploadLimiter>();

        var bad = await client.PostAsync("/api/datasets", CsvForm("x,label\n1,a\n2,\"unclosed\n"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);

        // Free at once: the acquisition completes without waiting (with no queue, a held parser would refuse it).
        ValueTask<RateLimitLease> next = limiter.AcquireAsync(CancellationToken.None);
        Assert.True(next.IsCompletedSuccessfully);
        using RateLimitLease lease = await next;
        Assert.True(lease.IsAcquired);
    }
}
