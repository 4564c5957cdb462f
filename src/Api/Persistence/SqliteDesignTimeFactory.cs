using Microsoft.EntityFrameworkCore.Design;

namespace BackpropService.Api.Persistence;

/// <summary>
/// Lets <c>dotnet ef migrations add ... --context BackpropDbContext</c> build the SQLite model. Without a factory of its
/// own, the tools make <see cref="BackpropDbContext"/> through <see cref="PostgresDesignTimeFactory"/> (its context
/// derives from this one), and the SQLite migration would come out as a PostgreSQL one.
/// </summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<BackpropDbContext>
{
    public BackpropDbContext CreateDbContext(string[] args) => new(
        new Microsoft.EntityFrameworkCore.DbContextOptionsBuilder<BackpropDbContext>()
            .UseDatabase(DatabaseProvider.Sqlite, "Data Source=backprop_design_time.db")
            .Options);
}
