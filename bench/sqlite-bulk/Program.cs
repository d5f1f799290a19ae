// The embedded mode's ceiling for scenario (d): SQLite's own bulk insert of the rows (d) makes Pulse write, per event
// one `events` row (its 3 properties as JSON text), three `event_properties` rows and one `campaign_events` row, in ONE
// transaction on a fresh file with Pulse's schema (SqliteCrmSchema through SqliteMigrations, so WAL as in Pulse),
// synchronous=FULL as Pulse uses it, prepared Microsoft.Data.Sqlite commands (the same SQLite as Pulse).
// Like the psql \copy ceiling of server mode, the rows are generated before the clock starts and the tables' foreign
// keys are not enforced (--foreign-keys enforces them, as Pulse's connections do today).
//
// Usage (bench/lib/bench.py runs it): Pulse.Bench.SqliteBulk <new database file> <events> [--foreign-keys] [--commit-every N]
// --commit-every N commits (durably: synchronous=FULL syncs the WAL in each commit) after every N events instead of once,
// which is what a service that acknowledges requests does: docs/performance.md uses it for (d)'s budget.
//                                     Pulse.Bench.SqliteBulk --version   (prints the SQLite and driver versions)
// Prints one line: BULK_JSON {"events":..,"rows":..,"seconds":..,"events_per_s":..,"rows_per_s":..,
// "checkpoint_seconds":..,"sqlite_version":"..","foreign_keys":..}. `seconds` is BEGIN .. COMMIT (durable); the WAL is
// then checkpointed into the database file (TRUNCATE) and timed separately, since the \copy ceiling does not include
// PostgreSQL's checkpoint either. A warm-up of 2,000 events into a scratch file comes first.
using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Pulse.Sqlite;

if (args is ["--version"])
{
    // For the report's software line: the SQLite that Microsoft.Data.Sqlite loads here loads in Pulse too.
    using var memory = new SqliteConnection("Data Source=:memory:");
    memory.Open();
    Console.WriteLine("SQLite " + new SqliteCommand("SELECT sqlite_version()", memory).ExecuteScalar() + " (Microsoft.Data.Sqlite "
        + typeof(SqliteConnection).Assembly.GetName().Version?.ToString(3) + ")");
    return 0;
}

if (args.Length < 2 || !int.TryParse(args[1], CultureInfo.InvariantCulture, out var count) || count < 1)
{
    Console.Error.WriteLine("usage: Pulse.Bench.SqliteBulk <new database file> <events> [--foreign-keys] [--commit-every N]");
    return 2;
}

var path = Path.GetFullPath(args[0]);
var foreignKeys = args.Contains("--foreign-keys");
var every = Array.IndexOf(args, "--commit-every") is var at and >= 0 && at + 1 < args.Length && int.TryParse(args[at + 1], CultureInfo.InvariantCulture, out var n) && n > 0
    ? n
    : int.MaxValue;

await Bulk.RunAsync(path + ".warmup", 2_000, foreignKeys, every, report: false);
var result = await Bulk.RunAsync(path, count, foreignKeys, every, report: true);
Console.WriteLine("BULK_JSON " + result);
return 0;

internal static class Bulk
{
    private const int Users = 5;

    public static async Task<string> RunAsync(string path, int count, bool foreignKeys, int every, bool report)
    {
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(path + suffix);
        }

        var connectionString = $"Data Source={path}";
        await SqliteMigrations.MigrateAsync(new SqliteDatabase(connectionString), SqliteCrmSchema.Scripts, default);
        SqliteConnection.ClearAllPools(); // the migrator's pooled connections would keep the file (and its WAL) open
        var rows = Rows.Generate(count);
        try
        {
            // Pooling off: closing the connection closes the file, so the WAL is gone when this returns.
            using var connection = new SqliteConnection(connectionString + ";Pooling=False");
            connection.Open();
            // wal_autocheckpoint=0: the commit must not checkpoint the whole transaction inline; that is timed below.
            Execute(connection, $"PRAGMA synchronous=FULL; PRAGMA foreign_keys={(foreignKeys ? "ON" : "OFF")}; PRAGMA wal_autocheckpoint=0;");
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            for (var u = 1; u <= Users; u++)
            {
                Execute(connection, $"INSERT INTO users (id, external_id, user_attributes, created_at, updated_at) VALUES ({u}, 'test-user-{u}', '{{\"email\":\"u{u}@example.com\"}}', {now}, {now})");
            }

            Execute(connection, $"INSERT INTO campaigns (id, name, properties, created_at) VALUES (1, 'benchmark-campaign', '[]', {now}); PRAGMA wal_checkpoint(TRUNCATE);");
            var version = (string)new SqliteCommand("SELECT sqlite_version()", connection).ExecuteScalar()!;

            var clock = Stopwatch.StartNew();
            Insert(connection, rows, every);
            var seconds = clock.Elapsed.TotalSeconds;
            clock.Restart();
            Execute(connection, "PRAGMA wal_checkpoint(TRUNCATE);");
            var checkpointSeconds = clock.Elapsed.TotalSeconds;

            var inv = CultureInfo.InvariantCulture;
            return report
                ? string.Create(inv, $"{{\"events\":{count},\"rows\":{count * 5},\"seconds\":{seconds:F4},\"events_per_s\":{count / seconds:F1},\"rows_per_s\":{count * 5 / seconds:F1},\"checkpoint_seconds\":{checkpointSeconds:F4},\"sqlite_version\":\"{version}\",\"foreign_keys\":{(foreignKeys ? "true" : "false")},\"commit_every\":{(every == int.MaxValue ? count : every)}}}")
                : "";
        }
        finally
        {
            if (!report)
            {
                foreach (var suffix in new[] { "", "-wal", "-shm" })
                {
                    File.Delete(path + suffix);
                }
            }
        }
    }

    /// <summary>All rows in one transaction (or one per <paramref name="every"/> events) with three prepared statements, as a bulk load does it.</summary>
    private static void Insert(SqliteConnection connection, Rows rows, int every)
    {
        var transaction = connection.BeginTransaction();
        using var insertEvent = Prepare(connection, transaction,
            "INSERT INTO events (id, name, user_id, external_id, properties, created_at, event_time) VALUES ($id, 'benchmark-event', $u, $x, $p, $t, $t)",
            ("$id", SqliteType.Integer), ("$u", SqliteType.Integer), ("$x", SqliteType.Text), ("$p", SqliteType.Text), ("$t", SqliteType.Integer));
        using var insertProperty = Prepare(connection, transaction,
            "INSERT INTO event_properties (event_id, key, value, num_value) VALUES ($e, $k, $v, $n)",
            ("$e", SqliteType.Integer), ("$k", SqliteType.Text), ("$v", SqliteType.Text), ("$n", SqliteType.Real));
        using var insertLink = Prepare(connection, transaction,
            "INSERT INTO campaign_events (campaign_id, event_id) VALUES (1, $e)", ("$e", SqliteType.Integer));
        var e = insertEvent.Parameters;
        var p = insertProperty.Parameters;
        var l = insertLink.Parameters;

        for (var i = 0; i < rows.Count; i++)
        {
            long id = i + 1;
            e[0].Value = id;
            e[1].Value = rows.User[i];
            e[2].Value = rows.ExternalId[rows.User[i]];
            e[3].Value = rows.Json[i];
            e[4].Value = rows.CreatedAt[i];
            insertEvent.ExecuteNonQuery();

            p[0].Value = id;
            p[1].Value = "action";
            p[2].Value = "test";
            p[3].Value = DBNull.Value;
            insertProperty.ExecuteNonQuery();
            p[1].Value = "timestamp";
            p[2].Value = rows.Timestamp[i];
            insertProperty.ExecuteNonQuery();
            p[1].Value = "value";
            p[2].Value = rows.Value[i];
            p[3].Value = (double)rows.Number[i];
            insertProperty.ExecuteNonQuery();

            l[0].Value = id;
            insertLink.ExecuteNonQuery();
            if ((i + 1) % every == 0 && i + 1 < rows.Count)
            {
                transaction.Commit();
                transaction.Dispose();
                transaction = connection.BeginTransaction();
                insertEvent.Transaction = insertProperty.Transaction = insertLink.Transaction = transaction;
            }
        }

        transaction.Commit();
        transaction.Dispose();
    }

    private static SqliteCommand Prepare(SqliteConnection connection, SqliteTransaction transaction, string sql, params (string Name, SqliteType Type)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, type) in parameters)
        {
            command.Parameters.Add(name, type);
        }

        command.Prepare();
        return command;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}

/// <summary>The event of scenario (d) (bench/wrk/batch.lua): properties action=test, timestamp=ISO time, value=0..999.</summary>
internal sealed class Rows
{
    public int Count { get; private init; }
    public int[] User { get; private init; } = [];
    public string[] ExternalId { get; } = ["", "test-user-1", "test-user-2", "test-user-3", "test-user-4", "test-user-5"];
    public string[] Json { get; private init; } = [];
    public long[] CreatedAt { get; private init; } = [];
    public string[] Timestamp { get; private init; } = [];
    public string[] Value { get; private init; } = [];
    public int[] Number { get; private init; } = [];

    public static Rows Generate(int count)
    {
        var random = new Random(3);
        var start = DateTimeOffset.UtcNow;
        var rows = new Rows
        {
            Count = count, User = new int[count], Json = new string[count], CreatedAt = new long[count],
            Timestamp = new string[count], Value = new string[count], Number = new int[count],
        };
        for (var i = 0; i < count; i++)
        {
            var at = start.AddMilliseconds(i);
            var number = random.Next(0, 1000);
            rows.User[i] = random.Next(1, 6);
            rows.CreatedAt[i] = at.ToUnixTimeMilliseconds();
            rows.Timestamp[i] = at.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
            rows.Number[i] = number;
            rows.Value[i] = number.ToString(CultureInfo.InvariantCulture);
            // The JSON text Pulse stores on the event row (Pulse.Core PropertyJson: web defaults, in order).
            rows.Json[i] = $"[{{\"key\":\"action\",\"value\":\"test\"}},{{\"key\":\"timestamp\",\"value\":\"{rows.Timestamp[i]}\"}},{{\"key\":\"value\",\"value\":\"{rows.Value[i]}\"}}]";
        }

        return rows;
    }
}
