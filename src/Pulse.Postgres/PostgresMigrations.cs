using Npgsql;
using Pulse.Core;

namespace Pulse.Postgres;

/// <summary>
/// Applies versioned schema scripts at start-up. A transaction-scoped advisory lock makes concurrent
/// start-ups of several instances take turns; <c>schema_migrations</c> makes re-runs no-ops. Each feature
/// owns its scripts (e.g. <see cref="PostgresCrmSchema"/>); versions are unique across features.
/// </summary>
public static class PostgresMigrations
{
    private const long AdvisoryLockKey = 0x50756C7365; // "Pulse"

    public static async Task MigrateAsync(NpgsqlDataSource dataSource, IEnumerable<SchemaScript> scripts, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock($1)", connection, transaction))
        {
            lockCommand.Parameters.AddWithValue(AdvisoryLockKey);
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var setup = new NpgsqlCommand(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version int PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
            connection,
            transaction))
        {
            await setup.ExecuteNonQueryAsync(cancellationToken);
        }

        var applied = new HashSet<int>();
        await using (var read = new NpgsqlCommand("SELECT version FROM schema_migrations", connection, transaction))
        await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                applied.Add(reader.GetInt32(0));
            }
        }

        foreach (var (version, sql) in scripts.OrderBy(s => s.Version))
        {
            if (applied.Contains(version))
            {
                continue;
            }

            await using var apply = new NpgsqlCommand(sql, connection, transaction);
            await apply.ExecuteNonQueryAsync(cancellationToken);
            await using var record = new NpgsqlCommand("INSERT INTO schema_migrations (version) VALUES ($1)", connection, transaction);
            record.Parameters.AddWithValue(version);
            await record.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }
}
