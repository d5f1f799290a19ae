// Write loops through Pulse's SQLite stores on a fresh file (synchronous=FULL, WAL), called as the write pipeline
// and the posts service call them. Usage (run.sh runs it):
//   Pulse.Bench.SqliteStore <crm|tracked|posts|likes> <batches> <batch size>
// crm: events with 3 properties, every other one linked to a campaign; tracked: clicks over 10 components, page
// views, searches over 20 keywords, likes and unlikes of 5 posts; posts: 3 hashtags each; likes: toggles.
// After half as many unmeasured batches (warm-up), prints: scenario, b<size>, SQLite version, wall and process-CPU
// microseconds per event (per post, per toggle). PULSE_BENCH_EXTRA_SQL, when set, runs after the schema (an A/B of
// a schema change on one build).
using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Pulse.Core;
using Pulse.Core.Events;
using Pulse.Core.Posts;
using Pulse.Core.Tracking;
using Pulse.Sqlite;
using Pulse.Sqlite.Posts;
using Pulse.Sqlite.Tracking;

var scenario = args[0];
var batches = int.Parse(args[1]);
var size = int.Parse(args[2]);
var dir = Path.Combine(Path.GetTempPath(), "pulse-sqlite-bench-" + Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(dir);
try
{
    var db = new SqliteDatabase($"Data Source={Path.Combine(dir, "b.db")}");
    await SqliteMigrations.MigrateAsync(db, [.. SqliteCrmSchema.Scripts, .. SqliteTrackingSchema.Scripts, .. SqlitePostsSchema.Scripts], default);
    if (Environment.GetEnvironmentVariable("PULSE_BENCH_EXTRA_SQL") is { Length: > 0 } extra)
    {
        // A schema change to measure against the same build (e.g. the erasure's indexes, docs/lifecycle.md).
        await db.WriteAsync(async (c, t, ct) => { await using var cmd = c.CreateCommand(); cmd.Transaction = t; cmd.CommandText = extra; return await cmd.ExecuteNonQueryAsync(ct); }, default);
    }
    var version = await db.ReadAsync(async (c, ct) => { await using var cmd = c.CreateCommand(); cmd.CommandText = "select sqlite_version()"; return (string)(await cmd.ExecuteScalarAsync(ct))!; }, default);
    var user = (await new SqliteUserStore(db).TryCreateAsync("bench", "{\"email\":\"a@b.c\"}", DateTimeOffset.UtcNow, default))!;
    var campaign = (await new SqliteCampaignStore(db).TryCreateAsync("bench", [new("action", "buy"), new("amount", "0")], DateTimeOffset.UtcNow, default))!;
    var events = new SqliteEventStore(db);
    var tracked = new SqliteTrackedEventStore(db);
    var posts = new SqlitePostStore(db);
    var post = await posts.CreateAsync(new NewPost(1, "bench", null, ["a", "b"]), DateTimeOffset.UtcNow, default);
    var now = DateTimeOffset.UtcNow;
    var total = batches * size;

    Func<int, Task> step = scenario switch
    {
        "crm" => async b =>
        {
            var writes = new EventWrite[size];
            for (var i = 0; i < size; i++)
            {
                var n = b * size + i;
                writes[i] = new EventWrite("purchase", user.Id, "bench",
                    [new("action", "buy"), new("amount", (n % 1000).ToString(System.Globalization.CultureInfo.InvariantCulture)), new("sku", "sku-" + (n % 97))],
                    n % 2 == 0 ? campaign.Id : null, now);
            }

            await events.AppendAsync(writes, default);
        },
        "tracked" => async b =>
        {
            var list = new TrackedEvent[size];
            for (var i = 0; i < size; i++)
            {
                var n = b * size + i;
                list[i] = (n % 4) switch
                {
                    0 => new TrackedEvent(TrackedEventType.Click, 7, "s", 1002 + n % 10, "e", null, null, now),
                    1 => new TrackedEvent(TrackedEventType.PageView, null, "s", 1000, null, null, null, now),
                    2 => new TrackedEvent(TrackedEventType.Search, 8, "s", 1001, null, "kw" + n % 20, null, now),
                    _ => new TrackedEvent(n % 8 == 3 ? TrackedEventType.Like : TrackedEventType.Unlike, 9, "s", 1003, null, null, n % 5 + 1, now),
                };
            }

            await tracked.AppendAsync(list, CounterPlan.For(list), default);
        },
        "posts" => async b =>
        {
            for (var i = 0; i < size; i++)
            {
                await posts.CreateAsync(new NewPost(1, "post", null, ["일상", "tag" + (b % 50), "x" + i]), now, default);
            }
        },
        "likes" => async b =>
        {
            for (var i = 0; i < size; i++)
            {
                await posts.ToggleLikeAsync(post.Id, b % 100, now, default);
            }
        },
        _ => throw new ArgumentException(scenario),
    };

    for (var b = 0; b < Math.Max(1, batches / 2); b++)
    {
        await step(b); // warm-up, not measured
    }

    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var clock = Stopwatch.StartNew();
    for (var b = 0; b < batches; b++)
    {
        await step(b);
    }

    clock.Stop();
    var cpuUsed = Process.GetCurrentProcess().TotalProcessorTime - cpu;
    Console.WriteLine($"{scenario} b{size} {version} wall {clock.Elapsed.TotalMicroseconds / total:F2} cpu {cpuUsed.TotalMicroseconds / total:F2}");
}
finally
{
    SqliteConnection.ClearAllPools();
    Directory.Delete(dir, true);
}
