using Npgsql;
using Pulse.Core.Health;

namespace Pulse.Postgres;

public sealed class PostgresReadinessProbe(NpgsqlDataSource dataSource) : IReadinessProbe
{
    public string Name => "postgres";

    public async Task<bool> CheckAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT 1");
        return (int)(await command.ExecuteScalarAsync(cancellationToken))! == 1;
    }
}
