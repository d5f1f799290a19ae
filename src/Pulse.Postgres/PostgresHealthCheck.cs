using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Pulse.Postgres;

/// <summary>Ready when PostgreSQL accepts a connection and answers a query.</summary>
public sealed class PostgresHealthCheck(NpgsqlDataSource dataSource) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT 1");
        return await command.ExecuteScalarAsync(cancellationToken) is 1
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("SELECT 1 did not answer 1.");
    }
}
