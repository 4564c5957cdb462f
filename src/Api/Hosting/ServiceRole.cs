namespace BackpropService.Api.Hosting;

/// <summary>
/// What one process of the service does (<c>--role</c> or <c>Service:Role</c>; DESIGN.md, "Scale-out"). One process
/// on SQLite is <see cref="All"/>; on PostgreSQL and Redis, any number of <see cref="Api"/> and <see cref="Worker"/>
/// processes share one database.
/// </summary>
public enum ServiceRole
{
    /// <summary>Serves the API, the hub and the dashboard, and trains: the single-process default.</summary>
    All,

    /// <summary>Serves the API, the hub and the dashboard; queues jobs for the workers and trains nothing.</summary>
    Api,

    /// <summary>Trains the queued jobs; serves only <c>/health/*</c>.</summary>
    Worker,
}
