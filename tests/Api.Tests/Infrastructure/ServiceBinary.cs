using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace BackpropService.Api.Tests.Infrastructure;

/// <summary>
/// The real service binary (<c>dotnet BackpropService.Api.dll</c>, as the container runs it) as a child process on a
/// free port, with its own SQLite file and <see cref="ServiceFactory.AdminKey"/>; <see cref="Client"/> sends that key.
/// For what only a process shows: signals, exit codes, the time a stop takes.
/// </summary>
public sealed class ServiceBinary : IAsyncDisposable
{
    private readonly StringBuilder _output = new();

    private ServiceBinary(Process process, HttpClient client)
    {
        Process = process;
        Client = client;
    }

    public Process Process { get; }

    public HttpClient Client { get; }

    /// <summary>What the process printed so far (for failure messages).</summary>
    public string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    /// <summary>Starts the service on <paramref name="databasePath"/> and returns once <c>/health/live</c> answers.</summary>
    public static async Task<ServiceBinary> StartAsync(string databasePath, TimeSpan timeout)
    {
        int port = FreePort();
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            // The service's build output, copied beside the tests (appsettings.json included), is the content root.
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "BackpropService.Api.dll") },
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                ["ConnectionStrings__Default"] = $"Data Source={databasePath}",
                ["Auth__AdminKey"] = ServiceFactory.AdminKey,
                ["Training__PollSeconds"] = "1",
            },
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        client.DefaultRequestHeaders.Authorization = new("Bearer", ServiceFactory.AdminKey);
        var service = new ServiceBinary(process, client);
        process.OutputDataReceived += (_, line) => service.Append(line.Data);
        process.ErrorDataReceived += (_, line) => service.Append(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        // Polls: the child process has no event to await until it listens.
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited) Assert.Fail($"the service exited with {process.ExitCode} while starting:\n{service.Output}");
            if (clock.Elapsed > timeout) Assert.Fail($"the service did not answer within {timeout}:\n{service.Output}");
            try
            {
                if ((await client.GetAsync("health/live")).StatusCode == HttpStatusCode.OK) return service;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(100);
        }
    }

    /// <summary>Sends SIGTERM, as <c>docker stop</c> does.</summary>
    public async Task TerminateAsync()
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", Process.Id.ToString() } })!;
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
            await Process.WaitForExitAsync();
        }
        Process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
