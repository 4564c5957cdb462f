using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using BackpropService.Api.Commands;
using BackpropService.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace BackpropService.Api.Tests;

/// <summary>
/// <c>dotnet BackpropService.Api.dll healthcheck [url]</c>, the container's HEALTHCHECK, run as its own process the
/// way Docker runs it: exit code 0 when the service is ready, 1 when it is not or nothing answers.
/// </summary>
public sealed class HealthCheckCommandTests
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_command_exits_0_against_a_running_service()
    {
        using var database = new TempDatabase();
        await using var factory = database.CreateFactory();
        var address = StartOnLoopback(factory);

        var (exitCode, output) = await RunAsync([HealthCheckCommand.Name, address.ToString()]);

        Assert.True(exitCode == 0, output);
        Assert.Contains("/health/ready: 200", output);
    }

    [Fact]
    public async Task Without_a_url_the_command_asks_the_port_the_container_listens_on()
    {
        using var database = new TempDatabase();
        await using var factory = database.CreateFactory();
        int port = StartOnLoopback(factory).Port;

        // The Dockerfile's HEALTHCHECK names no address: the port comes from ASPNETCORE_HTTP_PORTS, as the service's does.
        var (exitCode, output) = await RunAsync([HealthCheckCommand.Name], new() { ["ASPNETCORE_HTTP_PORTS"] = port.ToString() });

        Assert.True(exitCode == 0, output);
    }

    [Fact]
    public async Task The_command_exits_1_when_nothing_listens()
    {
        var (exitCode, output) = await RunAsync([HealthCheckCommand.Name, $"http://127.0.0.1:{ClosedPort()}"]);

        Assert.True(exitCode == 1, output);
        Assert.Contains("no answer", output);
    }

    [Fact]
    public async Task The_command_exits_1_when_the_service_is_not_ready()
    {
        // Not the service: a server whose readiness answers 503, as the service's does when its database does not.
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(options => options.Listen(IPAddress.Loopback, 0));
        await using var unready = builder.Build();
        unready.MapGet(HealthCheckCommand.ReadyPath, () => Results.StatusCode(StatusCodes.Status503ServiceUnavailable));
        await unready.StartAsync();
        string address = unready.Urls.First();

        var (exitCode, output) = await RunAsync([HealthCheckCommand.Name, address]);

        Assert.True(exitCode == 1, output);
        Assert.Contains("503", output);
    }

    [Fact]
    public async Task The_command_builds_no_web_host_and_opens_no_database()
    {
        using var database = new TempDatabase();

        // Were the service to start, it would create this database file and keep listening instead of exiting.
        var (exitCode, _) = await RunAsync([HealthCheckCommand.Name, $"http://127.0.0.1:{ClosedPort()}"], new()
        {
            ["ConnectionStrings__Default"] = $"Data Source={database.Path}",
            ["Auth__AdminKey"] = ServiceFactory.AdminKey,
        });

        Assert.Equal(1, exitCode);
        Assert.False(File.Exists(database.Path));
    }

    [Theory]
    [InlineData(null, null, null, "http://localhost:5000/health/ready")]
    [InlineData(null, null, "8080", "http://localhost:8080/health/ready")]
    [InlineData(null, "https://+:8443;http://+:8080", "9999", "http://localhost:8080/health/ready")]
    [InlineData(null, "http://0.0.0.0:7000", null, "http://localhost:7000/health/ready")]
    [InlineData("http://backprop:8080", null, null, "http://backprop:8080/health/ready")]
    [InlineData("http://127.0.0.1:1234/health/live", null, "8080", "http://127.0.0.1:1234/health/live")]
    public void The_address_comes_from_the_argument_or_the_listening_variables(string? argument, string? urls, string? ports, string expected)
    {
        var environment = new Dictionary<string, string?> { ["ASPNETCORE_URLS"] = urls, ["ASPNETCORE_HTTP_PORTS"] = ports };

        var url = HealthCheckCommand.ReadyUrl(argument is null ? [] : [argument], name => environment.GetValueOrDefault(name));

        Assert.Equal(expected, url?.ToString());
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("ftp://localhost/health/ready")]
    public void An_argument_that_is_not_an_http_url_is_refused(string argument) =>
        Assert.Null(HealthCheckCommand.ReadyUrl([argument], _ => null));

    /// <summary>Starts the service on a free loopback port (real Kestrel, not the test server) and returns its address.</summary>
    private static Uri StartOnLoopback(ServiceFactory factory)
    {
        factory.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        return new Uri(factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    /// <summary>A loopback port that nothing listens on (it was free a moment ago).</summary>
    private static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Runs the service binary the tests were built with, as <c>dotnet BackpropService.Api.dll …</c>.</summary>
    private static async Task<(int ExitCode, string Output)> RunAsync(string[] arguments, Dictionary<string, string?>? environment = null)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "BackpropService.Api.dll"));
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        // The test run's own settings must not choose the address.
        start.Environment.Remove("ASPNETCORE_URLS");
        start.Environment.Remove("ASPNETCORE_HTTP_PORTS");
        foreach (var (name, value) in environment ?? []) start.Environment[name] = value;

        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(CommandTimeout);
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"'healthcheck {string.Join(' ', arguments)}' did not exit within {CommandTimeout}");
        }
        return (process.ExitCode, await output + await error);
    }
}
