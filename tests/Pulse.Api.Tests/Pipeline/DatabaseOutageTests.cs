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
    private WebApplicationFactory<Program>? _factory;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _postgres = await PrivatePostgres.StartAsync();
        try
        {
            _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
            {
                builder.UseSetting("ConnectionStrings:Postgres", _postgres.ConnectionString);
                builder.UseSetting("ConnectionStrings:Redis", TestEnvironment.Redis);
                builder.UseSetting("Redis:KeyPrefix", TestEnvironment.Unique("outage") + ":");
            });
            _client = _factory.CreateClient();
        }
        catch
        {
            // xunit does not call DisposeAsync when InitializeAsync fails: stop the server here.
            await DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        try
        {
            _client?.Dispose();
            if (_factory is not null)
            {
                await _factory.DisposeAsync();
            }
        }
        finally
        {
            await _postgres.DisposeAsync();
        }
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
        // Outcomes by the phase in which their request was sent: 0 before the stop, 1 while down, 2 from the restart on.
        var phase = 0;
        var created = new int[3];
        var unavailable = new int[3];
        var writers = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            while (!load.IsCancellationRequested)
            {
                var sentIn = Volatile.Read(ref phase);
                var (response, body) = await _client.PostAsync("/api/v1/events", new { name = "outage", externalId = user, campaignName = campaign, properties = new[] { new { key = "k", value = "v" } } });
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    acknowledged.Add(body["data"]!["id"].Long());
                    Interlocked.Increment(ref created[sentIn]);
                }
                else
                {
                    Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
                    Assert.NotNull(response.Headers.RetryAfter);
                    Interlocked.Increment(ref unavailable[sentIn]);
                    await Task.Delay(50);
                }
            }
        })).ToList();

        try
        {
            // Each step waits for what it needs to have happened, however slow the machine, instead of sleeping.
            await Eventually.HoldsAsync(() => Volatile.Read(ref created[0]) >= 20, "20 events acknowledged before the database stops");
            await _postgres.StopServerAsync();
            Volatile.Write(ref phase, 1);
            await Eventually.HoldsAsync(() => Volatile.Read(ref unavailable[1]) >= 8, "8 writes answered 503 while the database is down");
            Volatile.Write(ref phase, 2);
            await _postgres.StartServerAsync();
            await Eventually.HoldsAsync(() => Volatile.Read(ref created[2]) >= 20, "20 events acknowledged after the database is back");
        }
        finally
        {
            await load.CancelAsync();
            await Task.WhenAll(writers).WaitAsync(Eventually.Patience);
        }

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
