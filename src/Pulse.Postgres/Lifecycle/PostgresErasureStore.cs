using Npgsql;
using Pulse.Core.Lifecycle;

namespace Pulse.Postgres.Lifecycle;

/// <summary>
/// Erasures and suppressions on PostgreSQL. Each chunk is one statement (data-modifying CTEs, one implicit
/// transaction) that also adds what it removed to the erasure's counts, so it locks only the rows it deletes, for as
/// long as one chunk takes; ingestion goes on beside it. Likes lock their posts first (in id order), as a like toggle
/// does, so the like count stays exact. SQL text is built from constants only; every value is a parameter.
/// </summary>
public sealed class PostgresErasureStore(NpgsqlDataSource dataSource) : IErasureStore
{
    private static readonly string Columns =
        "id, external_id, user_ids, alias_external_ids, suppress, key_id, key_name, requested_at, completed_at, " + string.Join(", ", ErasureCounts.Columns);

    // $1 the users, $2 the limit, $3 the erasure.
    private const string DeleteEvents = """
        WITH ids AS (SELECT id, message FROM events WHERE user_id = ANY($1) ORDER BY id LIMIT $2),
        m AS (DELETE FROM sdk_message_ids WHERE message_id IN (
                SELECT coalesce(message->>'messageId', message->>'uuid') FROM ids WHERE message IS NOT NULL) RETURNING 1),
        k AS (DELETE FROM event_imports WHERE event_id IN (SELECT id FROM ids) RETURNING 1),
        p AS (DELETE FROM event_properties WHERE event_id IN (SELECT id FROM ids) RETURNING 1),
        c AS (DELETE FROM campaign_events WHERE event_id IN (SELECT id FROM ids) RETURNING 1),
        e AS (DELETE FROM events WHERE id IN (SELECT id FROM ids) RETURNING 1),
        n AS (SELECT (SELECT count(*) FROM e) AS e, (SELECT count(*) FROM p) AS p, (SELECT count(*) FROM c) AS c, (SELECT count(*) FROM m) + (SELECT count(*) FROM k) AS m),
        u AS (UPDATE erasures SET events = events + n.e, event_properties = event_properties + n.p, campaign_links = campaign_links + n.c,
                message_ids = message_ids + n.m FROM n WHERE id = $3)
        SELECT e FROM n
        """;

    private const string DeleteTracked = """
        WITH t AS (DELETE FROM tracked_events WHERE id IN (SELECT id FROM tracked_events WHERE user_id = ANY($1) LIMIT $2) RETURNING 1),
        n AS (SELECT count(*) AS t FROM t),
        u AS (UPDATE erasures SET tracked_events = tracked_events + n.t FROM n WHERE id = $3)
        SELECT t FROM n
        """;

    private const string LockLikedPosts = "SELECT id FROM posts WHERE id IN (SELECT post_id FROM post_likes WHERE user_id = ANY($1) LIMIT $2) ORDER BY id FOR UPDATE";

    // $1 the users, $2 the locked posts, $3 the erasure.
    private const string DeleteLikes = """
        WITH d AS (DELETE FROM post_likes WHERE post_id = ANY($2) AND user_id = ANY($1) RETURNING post_id),
        lowered AS (UPDATE posts p SET like_count = greatest(p.like_count - x.n, 0)
                FROM (SELECT post_id, count(*) AS n FROM d GROUP BY post_id) x WHERE p.id = x.post_id RETURNING p.hashtags),
        n AS (SELECT count(*) AS l FROM d),
        u AS (UPDATE erasures SET likes = likes + n.l FROM n WHERE id = $3)
        SELECT n.l, coalesce((SELECT array_agg(DISTINCT t) FROM lowered, unnest(lowered.hashtags) AS t), '{}') FROM n
        """;

    private const string DeletePosts = """
        WITH ids AS (SELECT id, hashtags FROM posts WHERE user_id = ANY($1) ORDER BY id LIMIT $2 FOR UPDATE),
        h AS (DELETE FROM post_hashtags ph USING (SELECT id, unnest(hashtags) AS tag FROM ids) x
                WHERE ph.tag = x.tag AND ph.post_id = x.id RETURNING 1),
        l AS (DELETE FROM post_likes WHERE post_id IN (SELECT id FROM ids) RETURNING 1),
        p AS (DELETE FROM posts WHERE id IN (SELECT id FROM ids) RETURNING 1),
        n AS (SELECT (SELECT count(*) FROM p) AS p, (SELECT count(*) FROM h) AS h, (SELECT count(*) FROM l) AS l),
        u AS (UPDATE erasures SET posts = posts + n.p, post_hashtags = post_hashtags + n.h, likes_on_posts = likes_on_posts + n.l FROM n WHERE id = $3)
        SELECT n.p, coalesce((SELECT array_agg(DISTINCT t) FROM ids, unnest(ids.hashtags) AS t), '{}') FROM n
        """;

    private const string DeleteUsers = """
        WITH a AS (DELETE FROM user_aliases WHERE alias_user_id = ANY($1) OR user_id = ANY($1) RETURNING 1),
        r AS (DELETE FROM users WHERE id = ANY($1) RETURNING 1),
        n AS (SELECT (SELECT count(*) FROM r) AS r, (SELECT count(*) FROM a) AS a)
        UPDATE erasures SET users = users + n.r, aliases = aliases + n.a FROM n WHERE id = $2
        """;

    public async Task<ErasureStart> BeginAsync(ErasureRequest request, int countUpTo, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var ids = new List<long>();
        var aliases = new List<string>();
        long? userId = null;
        await using (var find = new NpgsqlCommand("SELECT id FROM users WHERE external_id = $1", connection, transaction).With(request.ExternalId))
        {
            if (await find.ExecuteScalarAsync(cancellationToken) is long id)
            {
                userId = id;
                ids.Add(id);
            }
        }

        if (userId is { } main)
        {
            await using var linked = new NpgsqlCommand(
                "SELECT a.alias_user_id, u.external_id FROM user_aliases a LEFT JOIN users u ON u.id = a.alias_user_id WHERE a.user_id = $1 AND a.alias_user_id <> $1",
                connection, transaction).With(main);
            await using var reader = await linked.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                ids.Add(reader.GetInt64(0));
                if (!reader.IsDBNull(1))
                {
                    aliases.Add(reader.GetString(1));
                }
            }
        }

        long pending = 0;
        if (ids.Count > 0)
        {
            await using var count = new NpgsqlCommand("""
                SELECT (SELECT count(*) FROM (SELECT 1 FROM events WHERE user_id = ANY($1) LIMIT $2) e)
                     + (SELECT count(*) FROM (SELECT 1 FROM tracked_events WHERE user_id = ANY($1) LIMIT $2) t)
                     + (SELECT count(*) FROM (SELECT 1 FROM post_likes WHERE user_id = ANY($1) LIMIT $2) l)
                     + (SELECT count(*) FROM (SELECT 1 FROM posts WHERE user_id = ANY($1) LIMIT $2) p)
                """, connection, transaction).With(ids.ToArray()).With(countUpTo + 1L);
            pending = (long)(await count.ExecuteScalarAsync(cancellationToken))!;
        }

        long erasureId;
        await using (var insert = new NpgsqlCommand(
                "INSERT INTO erasures (external_id, user_ids, alias_external_ids, suppress, key_id, key_name, requested_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                connection, transaction)
            .With(request.ExternalId).With(ids.ToArray()).With(aliases.ToArray()).With(request.Suppress).With(request.KeyId).With(request.KeyName).With(request.At))
        {
            erasureId = (long)(await insert.ExecuteScalarAsync(cancellationToken))!;
        }

        if (request.Suppress)
        {
            // Deleted and inserted again (a new id), so every instance's version check sees the change.
            await using var batch = new NpgsqlBatch(connection, transaction);
            batch.BatchCommands.Add(new NpgsqlBatchCommand("DELETE FROM suppressions WHERE external_id = $1") { Parameters = { new() { Value = request.ExternalId } } });
            batch.BatchCommands.Add(new NpgsqlBatchCommand("INSERT INTO suppressions (external_id, user_id, erasure_id, created_at) VALUES ($1, $2, $3, $4)")
            {
                Parameters = { new() { Value = request.ExternalId }, new() { Value = (object?)userId ?? DBNull.Value }, new() { Value = erasureId }, new() { Value = request.At } },
            });
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        var erasure = new Erasure(erasureId, request.ExternalId, ids, aliases, request.Suppress, request.KeyId, request.KeyName, request.At, null, ErasureCounts.None);
        return new ErasureStart(erasure, pending);
    }

    public async Task<ErasureChunk> DeleteChunkAsync(Erasure erasure, ErasureStep step, int limit, CancellationToken cancellationToken)
    {
        var users = erasure.UserIds.ToArray();
        switch (step)
        {
            case ErasureStep.Events:
            {
                await using var command = dataSource.CreateCommand(DeleteEvents).With(users).With(limit).With(erasure.Id);
                return new ErasureChunk((long)(await command.ExecuteScalarAsync(cancellationToken))!, []);
            }

            case ErasureStep.TrackedEvents:
            {
                await using var command = dataSource.CreateCommand(DeleteTracked).With(users).With(limit).With(erasure.Id);
                return new ErasureChunk((long)(await command.ExecuteScalarAsync(cancellationToken))!, []);
            }

            case ErasureStep.Likes:
                return await DeleteLikesAsync(erasure, users, limit, cancellationToken);

            default:
            {
                await using var command = dataSource.CreateCommand(DeletePosts).With(users).With(limit).With(erasure.Id);
                return await ReadChunkAsync(command, cancellationToken);
            }
        }
    }

    public async Task DeleteUsersAsync(Erasure erasure, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(DeleteUsers).With(erasure.UserIds.ToArray()).With(erasure.Id);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<Erasure> CompleteAsync(Erasure erasure, long recentKeywords, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using (var command = dataSource.CreateCommand(
                "UPDATE erasures SET completed_at = coalesce(completed_at, $1), recent_keywords = recent_keywords + $2, alias_external_ids = '{}' WHERE id = $3")
            .With(now).With(recentKeywords).With(erasure.Id))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        return (await FindAsync(erasure.Id, cancellationToken))!;
    }

    public async Task<Erasure?> FindAsync(long id, CancellationToken cancellationToken) =>
        (await ReadErasuresAsync(dataSource.CreateCommand($"SELECT {Columns} FROM erasures WHERE id = $1").With(id), cancellationToken)).FirstOrDefault();

    public Task<IReadOnlyList<Erasure>> ListAsync(long? before, int limit, CancellationToken cancellationToken) =>
        ReadErasuresAsync(dataSource.CreateCommand($"SELECT {Columns} FROM erasures WHERE id < $1 ORDER BY id DESC LIMIT $2").With(before ?? long.MaxValue).With(limit), cancellationToken);

    public Task<IReadOnlyList<Erasure>> UnfinishedAsync(CancellationToken cancellationToken) =>
        ReadErasuresAsync(dataSource.CreateCommand($"SELECT {Columns} FROM erasures WHERE completed_at IS NULL ORDER BY id"), cancellationToken);

    public async Task<IReadOnlyList<Suppression>> SuppressionsAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT external_id, user_id, erasure_id, created_at FROM suppressions ORDER BY id");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var all = new List<Suppression>();
        while (await reader.ReadAsync(cancellationToken))
        {
            all.Add(new Suppression(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetInt64(2), reader.ReadTime(3)));
        }

        return all;
    }

    public async Task<(long Count, long MaxId)> SuppressionsVersionAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT count(*), coalesce(max(id), 0) FROM suppressions");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    public async Task<bool> LiftSuppressionAsync(string externalId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM suppressions WHERE external_id = $1").With(externalId);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    private async Task<ErasureChunk> DeleteLikesAsync(Erasure erasure, long[] users, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var posts = new List<long>();
        await using (var lockPosts = new NpgsqlCommand(LockLikedPosts, connection, transaction).With(users).With(limit))
        await using (var reader = await lockPosts.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                posts.Add(reader.GetInt64(0));
            }
        }

        if (posts.Count == 0)
        {
            await transaction.CommitAsync(cancellationToken);
            return new ErasureChunk(0, []);
        }

        ErasureChunk chunk;
        await using (var delete = new NpgsqlCommand(DeleteLikes, connection, transaction).With(users).With(posts.ToArray()).With(erasure.Id))
        {
            chunk = await ReadChunkAsync(delete, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        // The chunk took every like of up to `limit` posts: a full chunk may be more than `limit` likes; a short one means none are left.
        return chunk with { Removed = posts.Count < limit ? 0 : chunk.Removed };
    }

    private static async Task<ErasureChunk> ReadChunkAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using (command)
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            return new ErasureChunk(reader.GetInt64(0), reader.GetFieldValue<string[]>(1));
        }
    }

    private static async Task<IReadOnlyList<Erasure>> ReadErasuresAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using (command)
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var erasures = new List<Erasure>();
            while (await reader.ReadAsync(cancellationToken))
            {
                erasures.Add(new Erasure(
                    reader.GetInt64(0),
                    reader.GetString(1),
                    reader.GetFieldValue<long[]>(2),
                    reader.GetFieldValue<string[]>(3),
                    reader.GetBoolean(4),
                    reader.IsDBNull(5) ? null : reader.GetInt64(5),
                    reader.GetString(6),
                    reader.ReadTime(7),
                    reader.IsDBNull(8) ? null : reader.ReadTime(8),
                    ErasureCounts.Read(reader, 9)));
            }

            return erasures;
        }
    }
}
