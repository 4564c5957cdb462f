using Microsoft.EntityFrameworkCore;

namespace BackpropService.Api.Persistence;

/// <summary>Hands every <see cref="IDbContextFactory{BackpropDbContext}"/> consumer a <see cref="PostgresBackpropDbContext"/>,
/// so that migrations and queries on PostgreSQL run with its model and migrations.</summary>
public sealed class PostgresContextFactory(DbContextOptions<BackpropDbContext> options) : IDbContextFactory<BackpropDbContext>
{
    public BackpropDbContext CreateDbContext() => new PostgresBackpropDbContext(options);
}
