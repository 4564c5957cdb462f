using Microsoft.EntityFrameworkCore;

namespace BackpropService.Api.Persistence;

/// <summary>
/// <see cref="BackpropDbContext"/> on PostgreSQL: the same model, with its own migrations (in
/// <c>PostgresMigrations/</c>; the SQLite ones in <c>Migrations/</c> belong to <see cref="BackpropDbContext"/>).
/// EF Core finds a context's migrations by its exact type, so one context type per provider keeps the two sets
/// apart ("Migrations with Multiple Providers" in the EF Core docs). Everything above the persistence layer
/// only ever sees a <see cref="BackpropDbContext"/>.
/// </summary>
public sealed class PostgresBackpropDbContext(DbContextOptions<BackpropDbContext> options) : BackpropDbContext(options);
