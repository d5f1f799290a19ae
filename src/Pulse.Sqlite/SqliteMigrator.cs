using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pulse.Core;

namespace Pulse.Sqlite;

/// <summary>Brings the schema of every feature up to date before the server starts listening.</summary>
internal sealed partial class SqliteMigrator(SqliteDatabase database, ILogger<SqliteMigrator> logger) : IHostedService, ISchemaMigrator
{
    public Task StartAsync(CancellationToken cancellationToken) => MigrateAsync(cancellationToken);

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await SqliteMigrations.MigrateAsync(database, SqliteSchema.Scripts, cancellationToken);
        LogUpToDate(logger);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "SQLite schema is up to date")]
    private static partial void LogUpToDate(ILogger logger);
}
