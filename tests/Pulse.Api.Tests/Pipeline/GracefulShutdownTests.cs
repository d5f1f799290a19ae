using System.Collections.Concurrent;
using System.Net;
using Npgsql;
using Pulse.Api.Tests.Crm;
using Pulse.Api.Tests.Infrastructure;

namespace Pulse.Api.Tests.Pipeline;

/// <summary>SIGTERM under write load: Pulse stops accepting, finishes what it acknowledged, and exits 0.</summary>
public sealed class GracefulShutdownTests
{
    [Fact]
    public async Task Every_event_acknowledged_before_sigterm_is_in_the_database()
    {
        var database = await TestDatabases.CreateAsync();
        var connectionString = TestDatabases.ConnectionString(database);
        try
        {
            await using var pulse = await PulseProcess.StartAsync(new Dictionary<string, string>
            {
                ["ConnectionStrings__Postgres"] = connectionString,
                ["ConnectionStrings__Redis"] = TestEnvironment.Redis,
                ["Redis__KeyPrefix"] = TestEnvironment.Unique("sigterm") + ":",
                ["Logging__LogLevel__Default"] = "Warning",
            });
            using var client = new HttpClient { BaseAddress = pulse.BaseAddress };
            var user = TestEnvironment.Unique("user");
            await client.CreateUserAsync(user);

            var acknowledged = new ConcurrentBag<long>();
            using var stop = new CancellationTokenSource();
            var writers = Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
            {
                while (!pulse.HasExited && !stop.IsCancellationRequested)
                {
                    try
                    {
                        var (response, body) = await client.PostAsync("/api/v1/events", new { name = "sigterm", externalId = user, properties = new[] { new { key = "k", value = "v" } } });
                        if (response.StatusCode == HttpStatusCode.Created)
                        {
                            acknowledged.Add(body["data"]!["id"].Long());
                        }
                    }
                    catch (HttpRequestException)
                    {
                        // Refused or reset while shutting down: not acknowledged, so not owed.
                        return;
                    }
                }
            })).ToList();

            try
            {
                // SIGTERM under load, not after a fixed time: on a busy machine 1.5 s may not see a single write.
                await Eventually.HoldsAsync(() => acknowledged.Count > 50, "more than 50 events acknowledged before SIGTERM");
                pulse.Terminate();
                await pulse.WaitForExitAsync(Eventually.Patience);
                await Task.WhenAll(writers).WaitAsync(Eventually.Patience);
            }
            finally
            {
                // On failure the writers stop here, and disposing the process kills it by its PID.
                await stop.CancelAsync();
            }

            Assert.Equal(0, pulse.ExitCode);
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT id FROM events WHERE name = 'sigterm'", connection);
            var stored = new HashSet<long>();
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    stored.Add(reader.GetInt64(0));
                }
            }

            var missing = acknowledged.Where(id => !stored.Contains(id)).ToList();
            Assert.True(missing.Count == 0, $"{missing.Count} acknowledged events are missing");
        }
        finally
        {
            await TestDatabases.DropAsync(database);
        }
    }
}
