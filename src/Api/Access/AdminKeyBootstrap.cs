using BackpropService.Api.Persistence;
using BackpropService.Contracts;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;

namespace BackpropService.Api.Access;

/// <summary>
/// Makes sure someone can administer a new service. <c>Auth:AdminKey</c> (environment <c>Auth__AdminKey</c>)
/// becomes an admin key; without it, when no usable admin key exists, one is generated, printed once on the
/// console with the sign-in address, and written to <c>admin.key</c> (mode 600) beside the database file.
/// The secret goes to the console directly, never through logging, so no log sink ever holds it.
/// </summary>
public sealed class AdminKeyBootstrap(
    IDbContextFactory<BackpropDbContext> dbFactory, ApiKeyStore keys, IConfiguration configuration,
    IHostApplicationLifetime lifetime, IServer server, TimeProvider clock, ILogger<AdminKeyBootstrap> logger) : IHostedService
{
    public const string AdminKeySetting = "Auth:AdminKey";
    public const string KeyFileName = "admin.key";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        string? configured = configuration[AdminKeySetting];
        if (!string.IsNullOrWhiteSpace(configured))
        {
            await EnsureConfiguredKeyAsync(db, configured.Trim(), cancellationToken);
            return;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var usableKeys = await db.ApiKeys.AsNoTracking()
            .Where(k => k.RevokedAt == null && (k.ExpiresAt == null || k.ExpiresAt > now)).Select(k => k.Scopes)
            .ToListAsync(cancellationToken);
        if (usableKeys.Any(scopes => scopes.Contains(ApiKeyScope.Admin))) return;

        string secret = ApiKeySecret.Generate();
        await AddAdminKeyAsync(db, "admin (generated at first start)", secret, cancellationToken);
        string? file = WriteKeyFile(db.Database.FileFolder(), secret);
        logger.LogWarning("No admin API key existed, so one was generated{Where}.",
            file is null ? " and printed on the console" : $"; it is in {file} (and printed on the console)");
        lifetime.ApplicationStarted.Register(() => PrintFirstKey(secret, file));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task EnsureConfiguredKeyAsync(BackpropDbContext db, string secret, CancellationToken cancellationToken)
    {
        if (secret.Length < ApiKeySecret.MinimumLength)
            throw new InvalidOperationException(
                $"{AdminKeySetting} must be at least {ApiKeySecret.MinimumLength} characters long; a short key can be guessed.");
        string hash = ApiKeySecret.Hash(secret);
        var existing = await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Hash == hash, cancellationToken);
        if (existing is null)
            await AddAdminKeyAsync(db, $"admin ({AdminKeySetting})", secret, cancellationToken);
        else if (existing.RevokedAt is not null)
            // A revocation stands: restarting with the same setting must not bring a revoked key back.
            logger.LogWarning("The key in {Setting} was revoked (key id {KeyId}); set a new one to administer the service.",
                AdminKeySetting, existing.Id);
    }

    private async Task AddAdminKeyAsync(BackpropDbContext db, string name, string secret, CancellationToken cancellationToken)
    {
        await using var change = keys.BeginChange();
        db.ApiKeys.Add(new ApiKeyEntity
        {
            Id = Guid.NewGuid().ToString("N"),
            Name = name,
            Hash = ApiKeySecret.Hash(secret),
            Scopes = [ApiKeyScope.Admin],
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        });
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Writes the secret to admin.key beside a SQLite database file, readable by the owner only; the file's path, or
    /// null where there is no such file (PostgreSQL, in-memory SQLite): then the console has the only copy.
    /// </summary>
    private static string? WriteKeyFile(string? databaseFolder, string secret)
    {
        if (databaseFolder is null) return null;
        string path = Path.Combine(databaseFolder, KeyFileName);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(path, options))
        using (var writer = new StreamWriter(stream))
            writer.WriteLine(secret);
        // UnixCreateMode applies only to a new file; an older admin.key keeps its mode unless set again.
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }

    private void PrintFirstKey(string secret, string? file)
    {
        string address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://localhost:5000";
        Console.WriteLine();
        Console.WriteLine("  An admin API key was created for this new service (it is shown only this once):");
        Console.WriteLine();
        Console.WriteLine($"      {secret}");
        Console.WriteLine();
        if (file is not null) Console.WriteLine($"  It is also in {file} (readable by this user only).");
        Console.WriteLine($"  Sign in to the dashboard at {address.TrimEnd('/')}/login, or send it as 'Authorization: Bearer <key>'.");
        Console.WriteLine();
    }
}
