using Pulse.Core;
namespace Pulse.Sqlite;

/// <summary>
/// Applies versioned schema scripts in order at start-up, inside one transaction each, recording them in
/// <c>schema_migrations</c>, so running them again (or from two processes) changes nothing. Each feature owns
/// its scripts (e.g. <see cref="SqliteCrmSchema"/>); versions are unique across features.
/// </summary>
public static class SqliteMigrations
{
    public static async Task MigrateAsync(SqliteDatabase database, IEnumerable<SchemaScript> scripts, CancellationToken cancellationToken)
    {
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            await using var wal = connection.CreateCommand();
            wal.CommandText = "PRAGMA journal_mode=WAL; CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL);";
            await wal.ExecuteNonQueryAsync(cancellationToken);
        }

        foreach (var (version, sql) in scripts.OrderBy(s => s.Version))
        {
            await database.WriteAsync(async (connection, transaction, ct) =>
            {
                await using var check = connection.CreateCommand();
                check.Transaction = transaction;
                check.CommandText = "SELECT COUNT(*) FROM schema_migrations WHERE version = $v";
                check.Parameters.AddWithValue("$v", version);
                if (Convert.ToInt64(await check.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture) > 0)
                {
                    return false;
                }

                await using var apply = connection.CreateCommand();
                apply.Transaction = transaction;
                apply.CommandText = sql + "\nINSERT INTO schema_migrations (version, applied_at) VALUES ($v, $t);";
                apply.Parameters.AddWithValue("$v", version);
                apply.Parameters.AddWithValue("$t", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
                await apply.ExecuteNonQueryAsync(ct);
                return true;
            }, cancellationToken);
        }
    }
}
