using Microsoft.EntityFrameworkCore;

namespace BackpropService.Api.Persistence;

/// <summary>Everything the service stores: one SQLite file is the whole state.</summary>
public sealed class BackpropDbContext(DbContextOptions<BackpropDbContext> options) : DbContext(options)
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

        modelBuilder.Entity<ApiKeyEntity>(key =>
        {
            key.ToTable("ApiKeys");
            key.HasKey(k => k.Id);
            // Every request looks its key up by the hash of the secret.
            key.HasIndex(k => k.Hash).IsUnique();
        });
    }
}
