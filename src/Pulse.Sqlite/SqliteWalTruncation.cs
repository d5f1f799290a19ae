using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Pulse.Sqlite;

/// <summary>
/// Empties the WAL when the host stops, so the next start does not have to read it back. Registered right after the
/// migrator, so it stops after the write pipelines have drained (hosted services stop in reverse order). Best effort:
/// a WAL left behind (a crash, a reader still open) is recovered at the next start all the same.
/// </summary>
internal sealed partial class SqliteWalTruncation(SqliteDatabase database, ILogger<SqliteWalTruncation> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await database.TruncateWalAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is SqliteException or OperationCanceledException)
        {
            LogNotTruncated(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The WAL was not emptied at shutdown; the next start recovers it")]
    private static partial void LogNotTruncated(ILogger logger, Exception exception);
}
