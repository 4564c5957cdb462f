using System.Reflection;
using Microsoft.AspNetCore.Hosting;

[assembly: HostingStartup(typeof(BackpropService.Bench.PredictLoadHost.TrivialEndpointStartup))]

namespace BackpropService.Bench.PredictLoadHost;

/// <summary>
/// Runs the service's own entry point (src/Api's Program, the same configuration, middleware and endpoints) with
/// <see cref="TrivialEndpointStartup"/> loaded as a hosting startup, which adds <c>POST /bench/trivial</c>.
/// </summary>
public static class BenchHost
{
    public static int Main(string[] args)
    {
        // Read by the host builder the service creates: load this assembly's IHostingStartup.
        Environment.SetEnvironmentVariable("ASPNETCORE_HOSTINGSTARTUPASSEMBLIES", typeof(BenchHost).Assembly.GetName().Name);
        MethodInfo main = typeof(Program).Assembly.EntryPoint
            ?? throw new InvalidOperationException("src/Api has no entry point.");
        // The service's name, not this host's: static assets and the dashboard are found under it.
        string[] serviceArgs = ["--applicationName", typeof(Program).Assembly.GetName().Name!, .. args];
        try
        {
            main.Invoke(null, [serviceArgs]);
            return 0;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            Console.Error.WriteLine(e.InnerException);
            return 1;
        }
    }
}
