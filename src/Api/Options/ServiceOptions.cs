using BackpropService.Api.Hosting;

namespace BackpropService.Api.Options;

/// <summary>What this process is (configuration section <c>Service</c>; set by <see cref="ServiceRoleExtensions.AddServiceRole"/>).</summary>
public sealed class ServiceOptions
{
    public const string Section = "Service";

    /// <summary>This process's role: <c>all</c> (default), <c>api</c> or <c>worker</c> (<c>--role</c>).</summary>
    public ServiceRole Role { get; set; } = ServiceRole.All;
}
