using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Npgsql;
using Pulse.Api.Tests.Crm;
using Pulse.Api.Tests.Infrastructure;

namespace Pulse.Api.Tests.Pipeline;

/// <summary>
/// PostgreSQL stops while writes are in flight: every 201 is for rows that are in the database, failures are
/// 503 with Retry-After, no event is half-written, and writes succeed again once it is back. (A commit whose
/// acknowledgement is lost in the crash is stored without a 201: unacknowledged, so not owed, as in any
/// database client.)
/// </summary>
public sealed class DatabaseOutageTests : IAsyncLifetime
{
    private PrivatePostgres _postgres = null!;
    private WebApplicationFactory<Program> _factory = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _postgres = await PrivatePostgres.StartAsync();
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseSetting("ConnectionStrings:Postgres", _postgres.ConnectionString);
            builder.UseSetting("ConnectionStrings:Redis", TestEnvironment.Redis);
            builder.UseSetting("Redis:KeyPrefix", TestEnvironment.Unique("outage") + ":");
        });
        _client = _factory.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
        await _postgres.DisposeAsync();
    }

    [Fact]
    public async Task Acknowledged_events_survive_a_database_stop_and_nothing_is_half_written()
    {
        var user = TestEnvironment.Unique("user");
        await _client.CreateUserAsync(user);
        var campaign = TestEnvironment.Unique("campaign");
        await _client.CreateCampaignAsync(campaign, "k");

        using var load = new CancellationTokenSource();
        var acknowledged = new System.Collections.Concurrent.ConcurrentBag<long>();
        var statuses = new System.Collections.Concurrent.ConcurrentBag<HttpStatusCode>();
        var writers = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            while (!load.IsCancellationRequested)
            {
                var (response, body) = await _client.PostAsync("/api/v1/events", new { name = "outage", externalId = user, campaignName = campaign, properties = new[] { new { key = "k", value = "v" } } });
                statuses.Add(response.StatusCode);
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    acknowledged.Add(body["data"]!["id"].Long());
                }
                else
                {
                    Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
                    Assert.NotNull(response.Headers.RetryAfter);
                    await Task.Delay(50);
                }
            }
        })).ToList();

        await Task.Delay(500);
        await _postgres.StopServerAsync();
        await Task.Delay(1500);
        await _postgres.StartServerAsync();
        await Task.Delay(2500);
        await load.CancelAsync();
        await Task.WhenAll(writers);

        Assert.Contains(HttpStatusCode.ServiceUnavailable, statuses);
        Assert.Contains(HttpStatusCode.Created, statuses);
        // Top-level NOT EXISTS plans as hash anti-joins; a correlated sub-plan per row inside an aggregate could
        // outlast the command timeout on a slow machine, with statistics that the crash just reset.
        await using var connection = new NpgsqlConnection(_postgres.ConnectionString + ";Command Timeout=120");
        await connection.OpenAsync();
        var withoutLink = await ScalarAsync(connection,
            "SELECT COUNT(*) FROM events e WHERE e.name = 'outage' AND NOT EXISTS (SELECT 1 FROM campaign_events ce WHERE ce.event_id = e.id)");
        var withoutProperty = await ScalarAsync(connection,
            "SELECT COUNT(*) FROM events e WHERE e.name = 'outage' AND NOT EXISTS (SELECT 1 FROM event_properties p WHERE p.event_id = e.id)");
        Assert.Equal(0, withoutLink);
        Assert.Equal(0, withoutProperty);
        var stored = new HashSet<long>();
        await using (var ids = new NpgsqlCommand("SELECT id FROM events WHERE name = 'outage'", connection))
        await using (var rows = await ids.ExecuteReaderAsync())
        {
            while (await rows.ReadAsync())
            {
                Assert.True(stored.Add(rows.GetInt64(0)));
            }
        }

        var missing = acknowledged.Where(id => !stored.Contains(id)).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} acknowledged events are missing");
    }

    private static async Task<long> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
