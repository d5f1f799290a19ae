namespace Pulse.Api.Infrastructure;

/// <summary>Brings the schema up to date before the server starts listening.</summary>
internal sealed class DatabaseMigrator(Func<CancellationToken, Task> migrate, ILogger<DatabaseMigrator> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await migrate(cancellationToken);
        logger.LogInformation("Database schema is up to date");
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
