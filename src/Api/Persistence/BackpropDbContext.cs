using Microsoft.EntityFrameworkCore;

namespace BackpropService.Api.Persistence;

/// <summary>
/// Everything the service stores: one SQLite file, or one PostgreSQL database, is the whole state. This context
/// (with the migrations in <c>Migrations/</c>) is the SQLite one; <see cref="PostgresBackpropDbContext"/> adds
/// nothing to the model and has its own migrations.
/// </summary>
public class BackpropDbContext(DbContextOptions<BackpropDbContext> options) : DbContext(options)
{
    public DbSet<DatasetEntity> Datasets => Set<DatasetEntity>();
    public DbSet<DatasetContentEntity> DatasetContents => Set<DatasetContentEntity>();
    public DbSet<JobEntity> Jobs => Set<JobEntity>();
    public DbSet<JobCheckpointEntity> Checkpoints => Set<JobCheckpointEntity>();
    public DbSet<EpochMetricsEntity> EpochMetrics => Set<EpochMetricsEntity>();
    public DbSet<ModelEntity> Models => Set<ModelEntity>();
    public DbSet<ModelContentEntity> ModelContents => Set<ModelContentEntity>();
    public DbSet<ModelAliasEntity> ModelAliases => Set<ModelAliasEntity>();
    public DbSet<ApiKeyEntity> ApiKeys => Set<ApiKeyEntity>();
    public DbSet<SweepEntity> Sweeps => Set<SweepEntity>();

    /// <summary>Saves with every timestamp cut to the microsecond first (see <see cref="TruncateTimestampsToMicroseconds"/>).</summary>
    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        TruncateTimestampsToMicroseconds();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    /// <inheritdoc cref="SaveChanges(bool)"/>
    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        TruncateTimestampsToMicroseconds();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    /// <summary>
    /// PostgreSQL keeps timestamps to the microsecond, SQLite to the tick (100 ns). Cutting every timestamp to the
    /// microsecond before it is saved makes an answer built from the saved entity equal what a later read returns,
    /// on either provider.
    /// </summary>
    private void TruncateTimestampsToMicroseconds()
    {
        foreach (var entry in ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified)) continue;
            foreach (var property in entry.Properties)
                if (property.CurrentValue is DateTime time && time.Ticks % TimeSpan.TicksPerMicrosecond != 0)
                    property.CurrentValue = new DateTime(time.Ticks - time.Ticks % TimeSpan.TicksPerMicrosecond, time.Kind);
        }
    }

    // The datasets', checkpoints' and models' bytes (the *Content entities and JobCheckpointEntity) are byte[]:
    // a BLOB in SQLite and bytea in PostgreSQL. bytea holds up to 1 GB, above Limits:MaxDatasetBytes; PostgreSQL
    // keeps such values out of line (TOAST), so listing rows never reads them, and each is read or written in one
    // round trip: efficient enough for files of this size, without the separate API of large objects.
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<DatasetEntity>(dataset =>
        {
            dataset.ToTable("Datasets");
            dataset.HasKey(d => d.Id);
            dataset.Property(d => d.Task).HasConversion<string>();
            dataset.HasOne(d => d.Content).WithOne().HasForeignKey<DatasetContentEntity>(c => c.DatasetId)
                .OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<DatasetContentEntity>(content =>
        {
            content.ToTable("DatasetContents");
            content.HasKey(c => c.DatasetId);
        });

        modelBuilder.Entity<JobEntity>(job =>
        {
            job.ToTable("Jobs");
            job.HasKey(j => j.Id);
            job.Property(j => j.Status).HasConversion<string>();
            // The claim query: the queued jobs, and for each its owner's jobs running or queued ahead of it.
            job.HasIndex(j => new { j.Status, j.CreatedAt });
            job.HasIndex(j => new { j.CreatedByKeyId, j.Status, j.CreatedAt });
            // A sweep's jobs. No foreign key: sweeps are never deleted, and a job deleted on its own leaves the sweep
            // ranking the rest.
            job.HasIndex(j => j.SweepId);
            job.HasMany(j => j.Metrics).WithOne().HasForeignKey(m => m.JobId).OnDelete(DeleteBehavior.Cascade);
            job.HasOne(j => j.Checkpoint).WithOne().HasForeignKey<JobCheckpointEntity>(c => c.JobId)
                .OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<JobCheckpointEntity>(checkpoint =>
        {
            checkpoint.ToTable("JobCheckpoints");
            checkpoint.HasKey(c => c.JobId);
        });
        modelBuilder.Entity<EpochMetricsEntity>(metrics =>
        {
            metrics.ToTable("EpochMetrics");
            metrics.HasKey(m => new { m.JobId, m.Epoch });
        });

        modelBuilder.Entity<ModelEntity>(model =>
        {
            model.ToTable("Models");
            model.HasKey(m => m.Id);
            model.Property(m => m.Task).HasConversion<string>();
            model.HasIndex(m => new { m.Name, m.Version }).IsUnique();
            model.HasOne(m => m.Content).WithOne().HasForeignKey<ModelContentEntity>(c => c.ModelId)
                .OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<ModelContentEntity>(content =>
        {
            content.ToTable("ModelContents");
            content.HasKey(c => c.ModelId);
        });
        modelBuilder.Entity<ModelAliasEntity>(alias =>
        {
            alias.ToTable("ModelAliases");
            alias.HasKey(a => new { a.Name, a.Alias });
        });

        modelBuilder.Entity<SweepEntity>(sweep =>
        {
            sweep.ToTable("Sweeps");
            sweep.HasKey(s => s.Id);
            sweep.Property(s => s.Metric).HasConversion<string>();
            sweep.HasIndex(s => s.CreatedAt);
        });

        modelBuilder.Entity<ApiKeyEntity>(key =>
        {
            key.ToTable("ApiKeys");
            key.HasKey(k => k.Id);
            // Every request looks its key up by the hash of the secret.
            key.HasIndex(k => k.Hash).IsUnique();
        });
    }
}
