using Npgsql;
using Pulse.Core.Tracking;

namespace Pulse.Postgres.Tracking;

/// <summary>
/// Roll-up markers and the exactly-once commit. The commit is one statement: it inserts the markers with
/// <c>ON CONFLICT DO NOTHING</c> and adds counts (members' minutes, components' minutes and totals) only for the
/// markers it inserted. A concurrent instance committing the same bucket waits on the uncommitted marker and then skips
/// it; a crash before commit leaves no marker.
/// </summary>
public sealed class PostgresRollupStore(NpgsqlDataSource dataSource) : IRollupStore
{
    private const string Pending = """
        SELECT m.minute, t.type
        FROM generate_series($1::timestamptz, $2::timestamptz - interval '1 minute', interval '1 minute') AS m(minute)
        CROSS JOIN unnest($3::text[]) AS t(type)
        WHERE NOT EXISTS (SELECT 1 FROM stat_rollups r WHERE r.minute = m.minute AND r.type = t.type)
        ORDER BY m.minute, t.type
        """;

    private const string Commit = """
        WITH claimed AS (
            INSERT INTO stat_rollups (minute, type, members)
            SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::integer[]) AS b(minute, type, members)
            ORDER BY minute, type
            ON CONFLICT (minute, type) DO NOTHING
            RETURNING minute, type),
        counts AS (
            SELECT c.type, c.component_id, c.post_id, c.keyword, c.minute, c.count
            FROM unnest($4::text[], $5::bigint[], $6::bigint[], $7::text[], $8::timestamptz[], $9::bigint[])
                AS c(type, component_id, post_id, keyword, minute, count)
            JOIN claimed ON claimed.minute = c.minute AND claimed.type = c.type),
        minutes AS (
            INSERT INTO stat_minutes AS s (type, component_id, post_id, keyword, minute, count)
            SELECT type, component_id, post_id, keyword, minute, count FROM counts
            ORDER BY type, component_id, post_id, keyword COLLATE "C", minute
            ON CONFLICT (type, component_id, post_id, keyword, minute) DO UPDATE SET count = s.count + excluded.count),
        components AS (
            INSERT INTO stat_component_minutes AS s (type, component_id, minute, count)
            SELECT type, component_id, minute, sum(count) FROM counts
            GROUP BY type, component_id, minute
            ORDER BY type, component_id, minute
            ON CONFLICT (type, component_id, minute) DO UPDATE SET count = s.count + excluded.count),
        totals AS (
            INSERT INTO stat_totals AS t (type, component_id, post_id, keyword, count)
            SELECT type, component_id, post_id, keyword, sum(count) FROM counts
            GROUP BY type, component_id, post_id, keyword
            ORDER BY type, component_id, post_id, keyword COLLATE "C"
            ON CONFLICT (type, component_id, post_id, keyword) DO UPDATE SET count = t.count + excluded.count)
        SELECT count(*)::integer FROM claimed
        """;

    private const string Prune = "DELETE FROM stat_rollups WHERE minute < $1";

    private static readonly string[] AllTypes = [.. TrackedEventTypes.All.Select(type => type.ToWire())];

    public async Task<IReadOnlyList<CounterBucket>> PendingAsync(MinuteWindow window, CancellationToken cancellationToken)
    {
        if (window.Minutes == 0)
        {
            return [];
        }

        await using var command = dataSource.CreateCommand(Pending).With(window.From).With(window.To).With(AllTypes);
        var pending = new List<CounterBucket>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (TrackedEventTypes.TryParse(reader.GetString(1), out var type))
            {
                pending.Add(new CounterBucket(type, reader.ReadTime(0)));
            }
        }

        return pending;
    }

    public async Task<int> CommitAsync(IReadOnlyList<BucketContents> buckets, CancellationToken cancellationToken)
    {
        if (buckets.Count == 0)
        {
            return 0;
        }

        var bucketMinutes = new DateTimeOffset[buckets.Count];
        var bucketTypes = new string[buckets.Count];
        var members = new int[buckets.Count];
        for (var i = 0; i < buckets.Count; i++)
        {
            bucketMinutes[i] = buckets[i].Bucket.Minute;
            bucketTypes[i] = buckets[i].Bucket.Set.ToWire();
            members[i] = buckets[i].Counts.Count;
        }

        var rows = CounterRows.From(buckets.SelectMany(b => b.Counts.Select(c => (b.Bucket.Set, b.Bucket.Minute, c.Member, c.Count))));
        // One statement, so one atomic transaction: markers and counts commit together or not at all.
        await using var command = dataSource.CreateCommand(Commit)
            .With(bucketMinutes).With(bucketTypes).With(members)
            .With(rows.Types).With(rows.Components).With(rows.Posts).With(rows.Keywords).With(rows.Minutes).With(rows.Counts);
        return (int)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task PruneAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(Prune).With(before);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
