using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using BackpropService.Contracts;
using BackpropService.Contracts.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace BackpropService.Api.Tests.Infrastructure;

/// <summary>
/// The real service binary (<c>dotnet BackpropService.Api.dll</c>, built in the same configuration as these tests)
/// as a child process on a free local port, for tests about what happens to the process itself: a kill, a
/// signal, a pause, an exit code, a restart, several processes on one database. Settings go in as environment variables (<c>Section__Key</c>), as
/// in a container. Clients from <see cref="CreateClient"/> send <see cref="ServiceFactory.AdminKey"/>.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly List<HttpClient> _clients = [];

    private ServiceProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    /// <summary>Where the service listens, with a trailing slash (the shared client helpers use relative paths).</summary>
    public Uri BaseAddress { get; }

    /// <summary>What the process wrote to stdout and stderr so far, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    /// <summary>
    /// Starts the service on <paramref name="database"/> (the test assembly's provider) and returns once
    /// <c>/health/ready</c> answers.
    /// </summary>
    /// <param name="settings">Configuration keys (<c>Training:Concurrency</c>) and values, on top of the test defaults.</param>
    /// <param name="arguments">Command-line arguments after the binary (<c>--role worker</c>).</param>
    public static async Task<ServiceProcess> StartAsync(TempDatabase database, IReadOnlyDictionary<string, string?>? settings = null,
        IReadOnlyList<string>? arguments = null)
    {
        var baseAddress = new Uri($"http://127.0.0.1:{FreePort()}/");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            ArgumentList = { ServiceBinary() },
            // The content root: appsettings.json sits beside the binary.
            WorkingDirectory = Path.GetDirectoryName(ServiceBinary())!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments ?? []) start.ArgumentList.Add(argument);
        // The test run's environment name (if any) is not the service's.
        start.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        start.Environment.Remove("DOTNET_ENVIRONMENT");
        var environment = new Dictionary<string, string?>
        {
            ["ASPNETCORE_URLS"] = baseAddress.ToString().TrimEnd('/'),
            ["Database:Provider"] = TempDatabase.Provider.ToString().ToLowerInvariant(),
            ["ConnectionStrings:Default"] = database.ConnectionString,
            ["Auth:AdminKey"] = ServiceFactory.AdminKey,
            ["Training:PollSeconds"] = "1",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) environment[key] = value;
        foreach (var (key, value) in environment) start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;

        var process = new Process { StartInfo = start };
        var service = new ServiceProcess(process, baseAddress);
        process.OutputDataReceived += (_, e) => service.Append(e.Data);
        process.ErrorDataReceived += (_, e) => service.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await service.WaitUntilReadyAsync(TimeSpan.FromMinutes(2));
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }
        return service;
    }

    /// <summary>A client of this process that sends the admin key; disposed with the process.</summary>
    public HttpClient CreateClient()
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Authorization = new("Bearer", ServiceFactory.AdminKey);
        lock (_clients) _clients.Add(client);
        return client;
    }

    /// <summary>A connection to the process's training hub that sends the admin key; not started.</summary>
    public HubConnection CreateHubConnection() =>
        new HubConnectionBuilder()
            .WithUrl(new Uri(BaseAddress, TrainingHubMethods.Path),
                options => options.AccessTokenProvider = () => Task.FromResult<string?>(ServiceFactory.AdminKey))
            .AddJsonProtocol(options => ContractJson.Configure(options.PayloadSerializerOptions))
            .Build();

    /// <summary>
    /// Ends the process with SIGKILL, as the kernel's out-of-memory killer or a native fault would: no shutdown
    /// code runs. Returns once it has exited.
    /// </summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    /// <summary>Sends SIGTERM, as <c>docker stop</c> does; the process then shuts down by itself.</summary>
    public Task TerminateAsync() => SignalAsync("TERM");

    /// <summary>
    /// Freezes the process with SIGSTOP, as a long GC pause, a swapped-out or suspended VM would: its threads stop and
    /// its connections stay open. <see cref="ResumeAsync"/> lets it go on where it stopped.
    /// </summary>
    public Task PauseAsync() => SignalAsync("STOP");

    /// <summary>Lets a process paused by <see cref="PauseAsync"/> go on (SIGCONT).</summary>
    public Task ResumeAsync() => SignalAsync("CONT");

    /// <summary>The operating system's id of the process.</summary>
    public int ProcessId => _process.Id;

    private async Task SignalAsync(string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { $"-{signal}", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) } })!;
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>Waits until the process has exited (or <paramref name="cancellationToken"/> fires) and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(CancellationToken cancellationToken)
    {
        await _process.WaitForExitAsync(cancellationToken);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        lock (_clients)
        {
            foreach (var client in _clients) client.Dispose();
            _clients.Clear();
        }
        if (!_process.HasExited) await KillAsync();
        _process.Dispose();
    }

    private async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        using var probe = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
                Assert.Fail($"the service exited with code {_process.ExitCode} before it was ready:\n{Output}");
            try
            {
                using var response = await probe.GetAsync("health/ready");
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            if (clock.Elapsed > timeout) Assert.Fail($"the service was not ready within {timeout}:\n{Output}");
            await Task.Delay(100);
        }
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    /// <summary>A port nobody listens on now (the operating system's choice for port 0).</summary>
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// src/Api's build output in this test run's configuration and framework: the same path below src/Api as the
    /// test binaries have below tests/Api.Tests (bin/Release/net10.0/). The project reference builds it first.
    /// </summary>
    private static string ServiceBinary()
    {
        var root = Repository.Root();
        // bin/<configuration>/<framework>/ below whichever test project runs (Api.Tests or Api.Tests.Postgres).
        string testOutput = AppContext.BaseDirectory;
        int bin = testOutput.LastIndexOf($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal);
        var outputFolder = testOutput[(bin + 1)..];
        var binary = Path.Combine(root, "src", "Api", outputFolder, "BackpropService.Api.dll");
        if (!File.Exists(binary)) throw new FileNotFoundException($"The service binary is not built: {binary}", binary);
        return binary;
    }
}
