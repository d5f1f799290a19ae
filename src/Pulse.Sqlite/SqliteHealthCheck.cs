using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Pulse.Sqlite;

/// <summary>Ready when the database file opens and answers a query, and its log can still be synced.</summary>
public sealed class SqliteHealthCheck(SqliteDatabase database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (database.Failure is { } failure)
        {
            return HealthCheckResult.Unhealthy("The database's log could not be synced to disk; writes are refused until a restart.", failure);
        }

        var answer = await database.ReadAsync(async (connection, ct) =>
        {
            await using var command = connection.Command("SELECT 1");
            return await command.ExecuteScalarAsync(ct);
        }, cancellationToken);
        return answer is 1L ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("SELECT 1 did not answer 1.");
    }
}
