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
            var writers = Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
            {
                while (!pulse.HasExited)
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

            await Task.Delay(1500);
            pulse.Terminate();
            await pulse.WaitForExitAsync(TimeSpan.FromSeconds(30));
            await Task.WhenAll(writers);

            Assert.Equal(0, pulse.ExitCode);
            Assert.True(acknowledged.Count > 50, $"only {acknowledged.Count} events were acknowledged before SIGTERM");
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
