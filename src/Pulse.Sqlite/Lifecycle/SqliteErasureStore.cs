using Microsoft.Data.Sqlite;
using Pulse.Core.Lifecycle;

namespace Pulse.Sqlite.Lifecycle;

/// <summary>
/// Erasures and suppressions in the embedded database. Every chunk is one transaction on the single writer, taken
/// through <see cref="SqliteDatabase.WriteAsync{T}"/> like every other write, so ingestion waits for at most one chunk
/// (the writer lock is granted in turn), never for a whole erasure. Sets of ids travel as one JSON array parameter
/// (<c>json_each</c>). SQL text is built from constants only; every value is a parameter.
/// </summary>
public sealed class SqliteErasureStore(SqliteDatabase database) : IErasureStore
{
    private const string In = "(SELECT value FROM json_each($u))";
    private const string ChunkIn = "(SELECT value FROM json_each($ids))";

    private static readonly string Columns =
        "id, external_id, user_ids, alias_external_ids, suppress, key_id, key_name, requested_at, completed_at, " + string.Join(", ", ErasureCounts.Columns);

    private static readonly string AddCountsSql =
        "UPDATE erasures SET " + string.Join(", ", ErasureCounts.Columns.Select((c, i) => $"{c} = {c} + $c{i}")) + " WHERE id = $id";

    public Task<ErasureStart> BeginAsync(ErasureRequest request, int countUpTo, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction, ct) =>
        {
            var ids = new List<long>();
            var aliases = new List<string>();
            long? userId = null;
            await using (var find = connection.Command("SELECT id FROM users WHERE external_id = $x", transaction).With("$x", request.ExternalId))
            {
                if (await find.ExecuteScalarAsync(ct) is long id)
                {
                    userId = id;
                    ids.Add(id);
                }
            }

            if (userId is { } main)
            {
                await using var linked = connection.Command(
                    "SELECT a.alias_user_id, u.external_id FROM user_aliases a LEFT JOIN users u ON u.id = a.alias_user_id WHERE a.user_id = $id AND a.alias_user_id <> $id",
                    transaction).With("$id", main);
                await using var reader = await linked.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    ids.Add(reader.GetInt64(0));
                    if (!reader.IsDBNull(1))
                    {
                        aliases.Add(reader.GetString(1));
                    }
                }
            }

            var usersJson = ErasureJson.Ids(ids);
            long pending = 0;
            if (ids.Count > 0)
            {
                await using var count = connection.Command($"""
                    SELECT (SELECT count(*) FROM (SELECT 1 FROM events WHERE user_id IN {In} LIMIT $n))
                         + (SELECT count(*) FROM (SELECT 1 FROM tracked_events WHERE user_id IN {In} LIMIT $n))
                         + (SELECT count(*) FROM (SELECT 1 FROM post_likes WHERE user_id IN {In} LIMIT $n))
                         + (SELECT count(*) FROM (SELECT 1 FROM posts WHERE user_id IN {In} LIMIT $n))
                    """, transaction).With("$u", usersJson).With("$n", countUpTo + 1L);
                pending = (long)(await count.ExecuteScalarAsync(ct))!;
            }

            long erasureId;
            await using (var insert = connection.Command(
                    "INSERT INTO erasures (external_id, user_ids, alias_external_ids, suppress, key_id, key_name, requested_at) VALUES ($x, $u, $a, $s, $k, $n, $t) RETURNING id",
                    transaction)
                .With("$x", request.ExternalId).With("$u", usersJson).With("$a", ErasureJson.Strings(aliases)).With("$s", request.Suppress ? 1 : 0)
                .With("$k", request.KeyId).With("$n", request.KeyName).With("$t", SqliteValues.ToUnixMs(request.At)))
            {
                erasureId = (long)(await insert.ExecuteScalarAsync(ct))!;
            }

            if (request.Suppress)
            {
                // Deleted and inserted again (a new id), so every instance's version check sees the change.
                await using var suppress = connection.Command("""
                    DELETE FROM suppressions WHERE external_id = $x;
                    INSERT INTO suppressions (external_id, user_id, erasure_id, created_at) VALUES ($x, $u, $e, $t);
                    """, transaction).With("$x", request.ExternalId).With("$u", userId).With("$e", erasureId).With("$t", SqliteValues.ToUnixMs(request.At));
                await suppress.ExecuteNonQueryAsync(ct);
            }

            var erasure = new Erasure(erasureId, request.ExternalId, ids, aliases, request.Suppress, request.KeyId, request.KeyName, request.At, null, ErasureCounts.None);
            return new ErasureStart(erasure, pending);
        }, cancellationToken);

    public Task<ErasureChunk> DeleteChunkAsync(Erasure erasure, ErasureStep step, int limit, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction, ct) =>
        {
            var users = ErasureJson.Ids(erasure.UserIds);
            switch (step)
            {
                case ErasureStep.Events:
                    var events = await DeleteEventsAsync(connection, transaction, users, limit, ct);
                    await AddCountsAsync(connection, transaction, erasure.Id, events, ct);
                    return new ErasureChunk(events.Events, []);

                case ErasureStep.TrackedEvents:
                    await using (var tracked = connection.Command(
                            $"DELETE FROM tracked_events WHERE id IN (SELECT id FROM tracked_events WHERE user_id IN {In} LIMIT $n)", transaction)
                        .With("$u", users).With("$n", limit))
                    {
                        var removed = await tracked.ExecuteNonQueryAsync(ct);
                        await AddCountsAsync(connection, transaction, erasure.Id, new ErasureCounts(TrackedEvents: removed), ct);
                        return new ErasureChunk(removed, []);
                    }

                case ErasureStep.Likes:
                    return await DeleteLikesAsync(connection, transaction, erasure.Id, users, limit, ct);

                default:
                    return await DeletePostsAsync(connection, transaction, erasure.Id, users, limit, ct);
            }
        }, cancellationToken);

    public Task DeleteUsersAsync(Erasure erasure, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction, ct) =>
        {
            // events.user_id references users: events committed since the last chunk go first, in this transaction.
            var users = ErasureJson.Ids(erasure.UserIds);
            var events = await DeleteEventsAsync(connection, transaction, users, int.MaxValue, ct);
            await using var aliases = connection.Command($"DELETE FROM user_aliases WHERE alias_user_id IN {In} OR user_id IN {In}", transaction).With("$u", users);
            var aliasCount = await aliases.ExecuteNonQueryAsync(ct);
            await using var rows = connection.Command($"DELETE FROM users WHERE id IN {In}", transaction).With("$u", users);
            var userCount = await rows.ExecuteNonQueryAsync(ct);
            await AddCountsAsync(connection, transaction, erasure.Id, events with { Users = userCount, Aliases = aliasCount }, ct);
            return true;
        }, cancellationToken);

    public async Task<Erasure> CompleteAsync(Erasure erasure, long recentKeywords, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await database.WriteAsync(async (connection, transaction, ct) =>
        {
            await using var complete = connection.Command(
                    "UPDATE erasures SET completed_at = coalesce(completed_at, $t), recent_keywords = recent_keywords + $k, alias_external_ids = '[]' WHERE id = $id",
                    transaction)
                .With("$t", SqliteValues.ToUnixMs(now)).With("$k", recentKeywords).With("$id", erasure.Id);
            return await complete.ExecuteNonQueryAsync(ct);
        }, cancellationToken);
        return (await FindAsync(erasure.Id, cancellationToken))!;
    }

    public async Task<Erasure?> FindAsync(long id, CancellationToken cancellationToken) =>
        (await ReadErasuresAsync($"SELECT {Columns} FROM erasures WHERE id = $id", command => command.With("$id", id), cancellationToken)).FirstOrDefault();

    public Task<IReadOnlyList<Erasure>> ListAsync(long? before, int limit, CancellationToken cancellationToken) =>
        ReadErasuresAsync($"SELECT {Columns} FROM erasures WHERE id < $before ORDER BY id DESC LIMIT $n",
            command => command.With("$before", before ?? long.MaxValue).With("$n", limit), cancellationToken);

    public Task<IReadOnlyList<Erasure>> UnfinishedAsync(CancellationToken cancellationToken) =>
        ReadErasuresAsync($"SELECT {Columns} FROM erasures WHERE completed_at IS NULL ORDER BY id", _ => { }, cancellationToken);

    public Task<IReadOnlyList<Suppression>> SuppressionsAsync(CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<Suppression>>(async (connection, ct) =>
        {
            await using var command = connection.Command("SELECT external_id, user_id, erasure_id, created_at FROM suppressions ORDER BY id");
            await using var reader = await command.ExecuteReaderAsync(ct);
            var all = new List<Suppression>();
            while (await reader.ReadAsync(ct))
            {
                all.Add(new Suppression(
                    reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetInt64(2), SqliteValues.FromUnixMs(reader.GetInt64(3))));
            }

            return all;
        }, cancellationToken);

    public Task<(long Count, long MaxId)> SuppressionsVersionAsync(CancellationToken cancellationToken) =>
        database.ReadAsync(async (connection, ct) =>
        {
            await using var command = connection.Command("SELECT count(*), coalesce(max(id), 0) FROM suppressions");
            await using var reader = await command.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            return (reader.GetInt64(0), reader.GetInt64(1));
        }, cancellationToken);

    public Task<bool> LiftSuppressionAsync(string externalId, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction, ct) =>
        {
            await using var lift = connection.Command("DELETE FROM suppressions WHERE external_id = $x", transaction).With("$x", externalId);
            return await lift.ExecuteNonQueryAsync(ct) > 0;
        }, cancellationToken);

    /// <summary>Up to <paramref name="limit"/> of the users' events, oldest first, with their properties, campaign links and SDK message ids.</summary>
    private static async Task<ErasureCounts> DeleteEventsAsync(SqliteConnection connection, SqliteTransaction transaction, string users, int limit, CancellationToken ct)
    {
        var ids = await ReadIdsAsync(connection, transaction, $"SELECT id FROM events WHERE user_id IN {In} ORDER BY id LIMIT $n", users, limit, ct);
        if (ids.Count == 0)
        {
            return ErasureCounts.None;
        }

        var chunk = ErasureJson.Ids(ids);
        // A message's id is its messageId (Segment) or uuid (PostHog); one Pulse assigned was not kept and expires with the dedupe window.
        var messageIds = await ExecuteAsync(connection, transaction, $"""
            DELETE FROM sdk_message_ids WHERE message_id IN (
                SELECT coalesce(json_extract(message, '$.messageId'), json_extract(message, '$.uuid')) FROM events
                WHERE id IN {ChunkIn} AND message IS NOT NULL AND json_valid(message))
            """, chunk, ct);
        // An import's dedupe keys (schema 700) name the events they stored: without them, importing an old export again
        // would bring the person back. Counted with the message ids: both are the events' dedupe keys.
        messageIds += await ExecuteAsync(connection, transaction, $"DELETE FROM event_imports WHERE event_id IN {ChunkIn}", chunk, ct);
        var properties = await ExecuteAsync(connection, transaction, $"DELETE FROM event_properties WHERE event_id IN {ChunkIn}", chunk, ct);
        var links = await ExecuteAsync(connection, transaction, $"DELETE FROM campaign_events WHERE event_id IN {ChunkIn}", chunk, ct);
        var events = await ExecuteAsync(connection, transaction, $"DELETE FROM events WHERE id IN {ChunkIn}", chunk, ct);
        return new ErasureCounts(Events: events, EventProperties: properties, CampaignLinks: links, MessageIds: messageIds);
    }

    /// <summary>Likes the users gave: each post's like count goes down by one per like removed.</summary>
    private static async Task<ErasureChunk> DeleteLikesAsync(SqliteConnection connection, SqliteTransaction transaction, long erasureId, string users, int limit, CancellationToken ct)
    {
        var likes = new List<(long Post, long User)>();
        await using (var select = connection.Command($"SELECT post_id, user_id FROM post_likes WHERE user_id IN {In} LIMIT $n", transaction).With("$u", users).With("$n", limit))
        await using (var reader = await select.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                likes.Add((reader.GetInt64(0), reader.GetInt64(1)));
            }
        }

        if (likes.Count == 0)
        {
            return new ErasureChunk(0, []);
        }

        await using var delete = connection.Command("DELETE FROM post_likes WHERE post_id = $p AND user_id = $u", transaction).With("$p", 0L).With("$u", 0L);
        await using var lower = connection.Command("UPDATE posts SET like_count = like_count - 1 WHERE id = $p AND like_count > 0", transaction).With("$p", 0L);
        long removed = 0;
        foreach (var (post, user) in likes)
        {
            delete.Parameters["$p"].Value = post;
            delete.Parameters["$u"].Value = user;
            if (await delete.ExecuteNonQueryAsync(ct) == 1)
            {
                removed++;
                lower.Parameters["$p"].Value = post;
                await lower.ExecuteNonQueryAsync(ct);
            }
        }

        var hashtags = await HashtagsAsync(connection, transaction, ErasureJson.Ids(likes.Select(l => l.Post).Distinct()), ct);
        await AddCountsAsync(connection, transaction, erasureId, new ErasureCounts(Likes: removed), ct);
        return new ErasureChunk(likes.Count, hashtags);
    }

    /// <summary>The users' posts with their hashtag rows and the likes other users gave them.</summary>
    private static async Task<ErasureChunk> DeletePostsAsync(SqliteConnection connection, SqliteTransaction transaction, long erasureId, string users, int limit, CancellationToken ct)
    {
        var ids = await ReadIdsAsync(connection, transaction, $"SELECT id FROM posts WHERE user_id IN {In} ORDER BY id LIMIT $n", users, limit, ct);
        if (ids.Count == 0)
        {
            return new ErasureChunk(0, []);
        }

        var chunk = ErasureJson.Ids(ids);
        var hashtags = await HashtagsAsync(connection, transaction, chunk, ct);
        var tags = await ExecuteAsync(connection, transaction,
            $"DELETE FROM post_hashtags WHERE (tag, post_id) IN (SELECT j.value, p.id FROM posts p, json_each(p.hashtags) j WHERE p.id IN {ChunkIn})", chunk, ct);
        var likes = await ExecuteAsync(connection, transaction, $"DELETE FROM post_likes WHERE post_id IN {ChunkIn}", chunk, ct);
        var posts = await ExecuteAsync(connection, transaction, $"DELETE FROM posts WHERE id IN {ChunkIn}", chunk, ct);
        await AddCountsAsync(connection, transaction, erasureId, new ErasureCounts(Posts: posts, PostHashtags: tags, LikesOnPosts: likes), ct);
        return new ErasureChunk(posts, hashtags);
    }

    private static async Task<IReadOnlyList<string>> HashtagsAsync(SqliteConnection connection, SqliteTransaction transaction, string postIds, CancellationToken ct)
    {
        await using var select = connection.Command($"SELECT DISTINCT j.value FROM posts p, json_each(p.hashtags) j WHERE p.id IN {ChunkIn}", transaction).With("$ids", postIds);
        await using var reader = await select.ExecuteReaderAsync(ct);
        var tags = new List<string>();
        while (await reader.ReadAsync(ct))
        {
            tags.Add(reader.GetString(0));
        }

        return tags;
    }

    private static async Task<List<long>> ReadIdsAsync(SqliteConnection connection, SqliteTransaction transaction, string sql, string users, int limit, CancellationToken ct)
    {
        await using var select = connection.Command(sql, transaction).With("$u", users).With("$n", limit);
        await using var reader = await select.ExecuteReaderAsync(ct);
        var ids = new List<long>();
        while (await reader.ReadAsync(ct))
        {
            ids.Add(reader.GetInt64(0));
        }

        return ids;
    }

    private static async Task<long> ExecuteAsync(SqliteConnection connection, SqliteTransaction transaction, string sql, string ids, CancellationToken ct)
    {
        await using var command = connection.Command(sql, transaction).With("$ids", ids);
        return await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task AddCountsAsync(SqliteConnection connection, SqliteTransaction transaction, long erasureId, ErasureCounts counts, CancellationToken ct)
    {
        await using var update = connection.Command(AddCountsSql, transaction).With("$id", erasureId);
        var values = counts.ToArray();
        for (var i = 0; i < values.Length; i++)
        {
            update.With("$c" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), values[i]);
        }

        await update.ExecuteNonQueryAsync(ct);
    }

    private Task<IReadOnlyList<Erasure>> ReadErasuresAsync(string sql, Action<SqliteCommand> parameters, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<Erasure>>(async (connection, ct) =>
        {
            await using var command = connection.Command(sql);
            parameters(command);
            await using var reader = await command.ExecuteReaderAsync(ct);
            var erasures = new List<Erasure>();
            while (await reader.ReadAsync(ct))
            {
                erasures.Add(new Erasure(
                    reader.GetInt64(0),
                    reader.GetString(1),
                    ErasureJson.ReadIds(reader.GetString(2)),
                    ErasureJson.ReadStrings(reader.GetString(3)),
                    reader.GetInt64(4) != 0,
                    reader.IsDBNull(5) ? null : reader.GetInt64(5),
                    reader.GetString(6),
                    SqliteValues.FromUnixMs(reader.GetInt64(7)),
                    reader.IsDBNull(8) ? null : SqliteValues.FromUnixMs(reader.GetInt64(8)),
                    ErasureCounts.Read(reader, 9)));
            }

            return erasures;
        }, cancellationToken);
}
