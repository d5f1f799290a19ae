using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pulse.Core;
using Npgsql;

namespace Pulse.Postgres;

/// <summary>Brings the schema of every feature up to date before the server starts listening.</summary>
internal sealed partial class PostgresMigrator(NpgsqlDataSource dataSource, ILogger<PostgresMigrator> logger) : IHostedService, ISchemaMigrator
{
    public Task StartAsync(CancellationToken cancellationToken) => MigrateAsync(cancellationToken);

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await PostgresMigrations.MigrateAsync(dataSource, PostgresSchema.Scripts, cancellationToken);
        LogUpToDate(logger);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "PostgreSQL schema is up to date")]
    private static partial void LogUpToDate(ILogger logger);
}
