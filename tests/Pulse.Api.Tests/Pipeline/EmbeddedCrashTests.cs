using System.Collections.Concurrent;
using System.Net;
using Microsoft.Data.Sqlite;
using Pulse.Api.Tests.Crm;
using Pulse.Api.Tests.Infrastructure;
using Pulse.Api.Tests.Tracking.Infrastructure;
using Xunit.Abstractions;

namespace Pulse.Api.Tests.Pipeline;

/// <summary>
/// SIGKILL under write load in embedded mode: after a restart on the same file, every write that was acknowledged
/// is there, and Pulse is ready and writes again.
/// </summary>
/// <remarks>
/// What this proves: Pulse answers 201 only after the SQLite transaction holding the write committed (no
/// acknowledged write waits in memory or in a not-yet-committed batch), and SQLite recovers the WAL file left by a
/// crash. A commit's frames are written to <c>pulse.db-wal</c>, and Pulse answers only after an fdatasync of that
/// file covering them (<c>SqliteWalSync</c>), so a process that dies after that cannot lose them.
/// What it does not prove: that the sync happens. SIGKILL ends the process, not the kernel: pages it wrote but did
/// not sync stay in the OS page cache and reach the disk anyway, so this test would also pass without any sync.
/// <c>SqliteDurabilityTests</c> checks that every write returns only after a completed sync covering it; surviving a
/// power loss additionally needs a disk that honours flushes, which only a cut of the machine's power (a VM,
/// dm-flakey) shows.
/// </remarks>
public sealed class EmbeddedCrashTests(ITestOutputHelper output)
{
    /// <summary>Concurrent clients of each kind (CRM events, tracked events).</summary>
    private const int WritersPerKind = 8;

    /// <summary>Acknowledgements of each kind to see before the kill, so that it happens under load.</summary>
    private const int Enough = 200;

    /// <summary>What <see cref="System.Diagnostics.Process.ExitCode"/> reports for a process killed by signal 9.</summary>
    private const int KilledBySigkill = 128 + 9;

    [Fact]
    public async Task Every_write_acknowledged_before_sigkill_is_in_the_file_after_a_restart()
    {
        var directory = Path.Combine(Path.GetTempPath(), TestEnvironment.Unique("pulse-crash"));
        Directory.CreateDirectory(directory);
        var database = Path.Combine(directory, "pulse.db");
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Sqlite"] = $"Data Source={database}",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        var name = TestEnvironment.Unique("crash");
        var user = TestEnvironment.Unique("user");
        var session = TrackingClient.NewSession();
        var component = TrackingClient.NewComponent();
        var acknowledgedEvents = new ConcurrentBag<long>();
        var acknowledgedTracked = 0;
        try
        {
            await using (var pulse = await PulseProcess.StartAsync(environment))
            {
                using var client = new HttpClient { BaseAddress = pulse.BaseAddress };
                await client.CreateUserAsync(user);

                using var stop = new CancellationTokenSource();
                var crmWriters = Enumerable.Range(0, WritersPerKind).Select(_ => Task.Run(() => WriteUntilGoneAsync(pulse, stop.Token, async () =>
                {
                    var (response, body) = await client.PostAsync("/api/v1/events", new { name, externalId = user, properties = new[] { new { key = "k", value = "v" } } });
                    if (response.StatusCode == HttpStatusCode.Created)
                    {
                        acknowledgedEvents.Add(body["data"]!["id"].Long());
                    }
                })));
                var trackingWriters = Enumerable.Range(0, WritersPerKind).Select(_ => Task.Run(() => WriteUntilGoneAsync(pulse, stop.Token, async () =>
                {
                    var (response, _) = await client.PostAsync("/api/events", new { eventType = "CLICK", userId = 1, sessionId = session, metadata = new { componentId = component } });
                    if (response.StatusCode == HttpStatusCode.Created)
                    {
                        Interlocked.Increment(ref acknowledgedTracked);
                    }
                })));
                var writers = crmWriters.Concat(trackingWriters).ToList();

                try
                {
                    // SIGKILL under load, not after a fixed time: on a busy machine a second may not see a single write.
                    await Eventually.HoldsAsync(
                        () => acknowledgedEvents.Count > Enough && Volatile.Read(ref acknowledgedTracked) > Enough,
                        $"more than {Enough} CRM and {Enough} tracked events acknowledged before SIGKILL");
                    pulse.Kill();
                    await pulse.WaitForExitAsync(Eventually.Patience);
                    await Task.WhenAll(writers).WaitAsync(Eventually.Patience);
                }
                finally
                {
                    // On failure the writers stop here, and disposing the process kills it by its PID.
                    await stop.CancelAsync();
                }

                Assert.Equal(KilledBySigkill, pulse.ExitCode);
            }

            await using var restarted = await PulseProcess.StartAsync(environment);
            using var again = new HttpClient { BaseAddress = restarted.BaseAddress };

            var stored = await StoredEventIdsAsync(database, name);
            var missing = acknowledgedEvents.Where(id => !stored.Contains(id)).ToList();
            Assert.True(missing.Count == 0, $"{missing.Count} of {acknowledgedEvents.Count} acknowledged CRM events are missing, e.g. {string.Join(", ", missing.Take(10))}");
            var trackedRows = await TrackedRowsAsync(database, session);
            Assert.True(trackedRows >= acknowledgedTracked, $"{acknowledgedTracked} tracked events were acknowledged, {trackedRows} are stored");
            output.WriteLine($"CRM events: {acknowledgedEvents.Count} acknowledged, {stored.Count} stored; tracked events: {acknowledgedTracked} acknowledged, {trackedRows} stored");
            Assert.Equal("ok", await ScalarAsync(database, "PRAGMA integrity_check"));

            using var ready = await again.GetAsync("/health/ready");
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            var saved = await again.SaveEventAsync(name, user, null, ("k", "after-restart"));
            Assert.True(saved["id"].Long() > acknowledgedEvents.Max(), "an id after the restart is above every id acknowledged before it");
            await again.TrackAsync("CLICK", component, sessionId: session);
            Assert.Equal(trackedRows + 1, await TrackedRowsAsync(database, session));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Writes until the test stops or the connection fails (refused or reset once the process is gone).</summary>
    private static async Task WriteUntilGoneAsync(PulseProcess pulse, CancellationToken stop, Func<Task> write)
    {
        while (!pulse.HasExited && !stop.IsCancellationRequested)
        {
            try
            {
                await write();
            }
            catch (HttpRequestException)
            {
                // Killed mid-request: not acknowledged, so not owed.
                return;
            }
        }
    }

    private static async Task<HashSet<long>> StoredEventIdsAsync(string database, string name)
    {
        await using var connection = await OpenAsync(database);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id FROM events WHERE name = @name";
        command.Parameters.AddWithValue("@name", name);
        var ids = new HashSet<long>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetInt64(0));
        }

        return ids;
    }

    private static async Task<long> TrackedRowsAsync(string database, string session)
    {
        await using var connection = await OpenAsync(database);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM tracked_events WHERE session_id = @session";
        command.Parameters.AddWithValue("@session", session);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<string> ScalarAsync(string database, string sql)
    {
        await using var connection = await OpenAsync(database);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (string)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>A connection of the test's own, beside the restarted Pulse (WAL lets readers and a writer share the file).</summary>
    private static async Task<SqliteConnection> OpenAsync(string database)
    {
        var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        await connection.OpenAsync();
        return connection;
    }
}
