using Microsoft.Data.Sqlite;
using Pulse.Api.Tests.Infrastructure;
using Pulse.Core;
using Pulse.Core.Events;
using Pulse.Core.Query;
using Pulse.Sqlite;
using Pulse.Sqlite.Query;

namespace Pulse.Api.Tests.Sqlite;

/// <summary>
/// Which plan the embedded search picks (<see cref="SqliteEventSearchSql.ChooseDriverAsync"/>): the side that meets
/// fewer candidates per event id where the page starts, the text equality's matches or the events with the name.
/// The results are the same either way (the search tests check them); this is about how many rows a page reads.
/// </summary>
public sealed class SqliteSearchDriverTests : IAsyncLifetime
{
    // Ids 1..1,000: every event "visit" with plan=free. Ids 1,001..7,000: plan=free on one event in 20 (all "visit"),
    // and one event in 20 named "refund" with reason=late on every event of that stretch.
    private const int Dense = 1_000;
    private const int Sparse = 6_000;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), TestEnvironment.Unique("pulse-sqlite-driver"));
    private SqliteDatabase _database = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _database = new SqliteDatabase($"Data Source={Path.Combine(_directory, "pulse.db")}");
        await SqliteMigrations.MigrateAsync(_database, SqliteSchema.Scripts, CancellationToken.None);
        var user = (await new SqliteUserStore(_database).TryCreateAsync("driver", "{}", DateTimeOffset.UtcNow, CancellationToken.None))!.Id;
        var events = new SqliteEventStore(_database);
        var now = DateTimeOffset.UtcNow;
        var writes = new List<EventWrite>();
        for (var n = 1; n <= Dense + Sparse; n++)
        {
            var dense = n <= Dense;
            var name = !dense && n % 20 == 0 ? "refund" : "visit";
            List<Property> properties = [new("orderId", "ord-" + n)];
            if (dense || n % 20 == 1)
            {
                properties.Add(new("plan", "free"));
            }

            if (!dense)
            {
                properties.Add(new("reason", "late"));
            }

            writes.Add(new EventWrite(name, user, "driver", properties, null, now));
        }

        foreach (var chunk in writes.Chunk(1_000))
        {
            await events.AppendAsync(chunk, CancellationToken.None);
        }
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task An_equality_with_fewer_matches_than_the_sample_drives()
    {
        Assert.Equal("orderId", await DriverAsync("visit", "orderId&ord-4321&=&and, plan&free&=&end", descending: true));
    }

    [Fact]
    public async Task The_sparsest_equality_drives_when_the_name_is_denser()
    {
        // Newest first: plan=free is on one "visit" in 20 there, reason=late on all of them.
        Assert.Equal("plan", await DriverAsync("visit", "reason&late&=&and, plan&free&=&end", descending: true));
    }

    [Fact]
    public async Task Events_are_read_by_name_when_the_name_is_sparser_than_every_equality()
    {
        // "refund" is one event in 20 of the newest; reason=late is on every one of them.
        Assert.Null(await DriverAsync("refund", "reason&late&=&end", descending: true));
    }

    [Fact]
    public async Task Density_is_measured_where_the_page_starts()
    {
        // Oldest first, plan=free is on every "visit": reading by name meets no more candidates, so the name is read.
        Assert.Null(await DriverAsync("visit", "plan&free&=&end", descending: false));

        // Newest first, or after a cursor in the sparse stretch, plan=free is on one event in 20: it drives.
        Assert.Equal("plan", await DriverAsync("visit", "plan&free&=&end", descending: true));
        Assert.Equal("plan", await DriverAsync("visit", "plan&free&=&end", descending: false, afterId: Dense + 500));
    }

    [Fact]
    public async Task Without_a_name_a_broad_equality_still_drives()
    {
        Assert.Equal("reason", await DriverAsync(null, "reason&late&=&end", descending: true));
    }

    private Task<string?> DriverAsync(string? name, string where, bool descending, long? afterId = null) =>
        _database.ReadPreparedAsync(async (reader, ct) =>
        {
            var query = new EventQuery(name, WhereParser.Parse(where), null, null, afterId, 100, descending);
            return (await SqliteEventSearchSql.ChooseDriverAsync(reader, query, ct))?.Key;
        }, CancellationToken.None);
}
