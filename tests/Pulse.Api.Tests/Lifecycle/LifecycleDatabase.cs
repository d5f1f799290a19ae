using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Pulse.Sqlite;

namespace Pulse.Api.Tests.Lifecycle;

/// <summary>Looks at what a host stored, behind the API's back: rows the API has no listing for.</summary>
public static class LifecycleDatabase
{
    /// <summary>Rows of <paramref name="table"/> whose <paramref name="column"/> is <paramref name="value"/> (names are the test's constants).</summary>
    public static async Task<long> CountAsync(IServiceProvider services, string table, string column, object value)
    {
        if (services.GetService<NpgsqlDataSource>() is { } postgres)
        {
            await using var command = postgres.CreateCommand($"SELECT count(*) FROM {table} WHERE {column} = $1");
            command.Parameters.AddWithValue(value);
            return (long)(await command.ExecuteScalarAsync())!;
        }

        return await services.GetRequiredService<SqliteDatabase>().ReadAsync(async (connection, ct) =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT COUNT(*) FROM {table} WHERE {column} = $p";
            command.Parameters.AddWithValue("$p", value);
            return (long)(await command.ExecuteScalarAsync(ct))!;
        }, CancellationToken.None);
    }
}
