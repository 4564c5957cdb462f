using BackpropService.Api.Options;

namespace BackpropService.Api.Hosting;

/// <summary>Reads this process's <see cref="ServiceRole"/> and says what it implies.</summary>
public static class ServiceRoleExtensions
{
    /// <summary>The configuration key of the role; <c>--role</c> on the command line sets it too.</summary>
    public const string Key = ServiceOptions.Section + ":" + nameof(ServiceOptions.Role);

    /// <summary>
    /// Reads the role from the configuration (<c>--role worker</c>, <c>--role=worker</c>, <c>Service__Role=worker</c>
    /// or appsettings) and registers it. An unknown role stops start-up with a message that names the setting and the
    /// accepted values: a process that silently fell back to <c>all</c> would train jobs on a machine meant only to
    /// answer requests.
    /// </summary>
    public static ServiceRole AddServiceRole(this WebApplicationBuilder builder, string[] args)
    {
        builder.Configuration.AddCommandLine(args, new Dictionary<string, string> { ["--role"] = Key });
        string? configured = builder.Configuration[Key];
        var role = ServiceRole.All;
        if (!string.IsNullOrWhiteSpace(configured))
        {
            // By name only: Enum.Parse would also take "1".
            string? name = Enum.GetNames<ServiceRole>()
                .FirstOrDefault(n => n.Equals(configured.Trim(), StringComparison.OrdinalIgnoreCase));
            role = name is null
                ? throw new InvalidOperationException($"{Key} (--role): '{configured}' is not a role; use all, api or worker.")
                : Enum.Parse<ServiceRole>(name);
        }
        builder.Services.Configure<ServiceOptions>(options => options.Role = role);
        return role;
    }

    /// <summary>Whether this process claims and trains queued jobs.</summary>
    public static bool Trains(this ServiceRole role) => role is ServiceRole.All or ServiceRole.Worker;

    /// <summary>Whether this process serves the REST API, the hub and the dashboard (every process serves <c>/health/*</c>).</summary>
    public static bool ServesApi(this ServiceRole role) => role is ServiceRole.All or ServiceRole.Api;
}
