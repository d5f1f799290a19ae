using Pulse.Core.Health;

namespace Pulse.Sqlite;

public sealed class SqliteReadinessProbe(SqliteDatabase database) : IReadinessProbe
{
    public string Name => "sqlite";

    public Task<bool> CheckAsync(CancellationToken cancellationToken) =>
        database.ReadAsync(async (connection, ct) =>
        {
            await using var command = connection.Command("SELECT 1");
            return Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture) == 1;
        }, cancellationToken);
}
