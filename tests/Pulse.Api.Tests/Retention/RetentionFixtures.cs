using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using Pulse.Api.Tests.Infrastructure;

namespace Pulse.Api.Tests.Retention;

/// <summary>Direct reads of the fixture's database, to see the rows retention leaves behind (properties, links, counters).</summary>
public interface IRetentionDatabase
{
    string Mode { get; }

    IServiceProvider Services { get; }

    HttpClient Client { get; }

    DbConnection OpenConnection();

    /// <summary>A time as the store keeps it (unix milliseconds in SQLite, timestamptz in PostgreSQL).</summary>
    object Time(DateTimeOffset time);
}

public static class RetentionDatabaseExtensions
{
    public static async Task<long> ScalarAsync(this IRetentionDatabase database, string sql, params object[] values)
    {
        await using var connection = database.OpenConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        for (var i = 0; i < values.Length; i++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "p" + i;
            parameter.Value = values[i];
            command.Parameters.Add(parameter);
        }

        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The expired events' properties and campaign links are gone, and every kept event (stored with two properties and
    /// a link, as the retention tests store them) still has all of them.
    /// </summary>
    public static async Task AssertDetailsAsync(this IRetentionDatabase database, IEnumerable<long> expired, IEnumerable<long> kept)
    {
        foreach (var id in expired)
        {
            Assert.Equal(0, await database.ScalarAsync("SELECT count(*) FROM event_properties WHERE event_id = @p0", id));
            Assert.Equal(0, await database.ScalarAsync("SELECT count(*) FROM campaign_events WHERE event_id = @p0", id));
        }

        foreach (var id in kept)
        {
            Assert.Equal(2, await database.ScalarAsync("SELECT count(*) FROM event_properties WHERE event_id = @p0", id));
            Assert.Equal(1, await database.ScalarAsync("SELECT count(*) FROM campaign_events WHERE event_id = @p0", id));
        }
    }
}

public class RetentionEmbeddedFixture : EmbeddedFixture, IRetentionDatabase
{
    public DbConnection OpenConnection() => new SqliteConnection(Settings["ConnectionStrings:Sqlite"]);

    public object Time(DateTimeOffset time) => time.ToUnixTimeMilliseconds();
}

public class RetentionServerFixture : ServerFixture, IRetentionDatabase
{
    public DbConnection OpenConnection() => new NpgsqlConnection(PostgresConnectionString);

    public object Time(DateTimeOffset time) => time;
}

/// <summary>A host whose settings expire events older than 30 days every second.</summary>
public sealed class RetentionConfiguredEmbeddedFixture : RetentionEmbeddedFixture
{
    protected override async Task<Dictionary<string, string?>> PrepareAsync()
    {
        var settings = await base.PrepareAsync();
        settings["Retention:EventsDays"] = "30";
        settings["Retention:Interval"] = "00:00:01";
        return settings;
    }
}

public sealed class RetentionConfiguredServerFixture : RetentionServerFixture
{
    protected override async Task<Dictionary<string, string?>> PrepareAsync()
    {
        var settings = await base.PrepareAsync();
        settings["Retention:EventsDays"] = "30";
        settings["Retention:Interval"] = "00:00:01";
        return settings;
    }
}
