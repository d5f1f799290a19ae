namespace Pulse.Core;

/// <summary>Brings the store's schema up to date: at start-up, and before a command-line command uses the store.</summary>
public interface ISchemaMigrator
{
    Task MigrateAsync(CancellationToken cancellationToken);
}
