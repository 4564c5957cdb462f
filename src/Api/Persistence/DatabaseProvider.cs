namespace BackpropService.Api.Persistence;

/// <summary>
/// The database the service stores everything in (<c>Database:Provider</c>): one SQLite file for a single process
/// (the default), or PostgreSQL, which several processes can share. <c>ConnectionStrings:Default</c> holds the
/// connection string for either.
/// </summary>
public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}
