using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace BackpropService.Api.Persistence;

/// <summary>
/// Lets <c>dotnet ef migrations add ... --context PostgresBackpropDbContext</c> build the PostgreSQL model without a
/// server or any setting (scaffolding a migration never connects). README.md, "Databases", has the commands.
/// </summary>
public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresBackpropDbContext>
{
    public PostgresBackpropDbContext CreateDbContext(string[] args) => new(
        new DbContextOptionsBuilder<BackpropDbContext>()
            .UseDatabase(DatabaseProvider.Postgres, "Host=localhost;Database=backprop_design_time")
            .Options);
}
