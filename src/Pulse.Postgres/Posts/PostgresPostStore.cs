using Npgsql;
using Pulse.Core.Posts;

namespace Pulse.Postgres.Posts;

/// <summary>SQL text is built from constants only; every value is a parameter.</summary>
public sealed class PostgresPostStore(NpgsqlDataSource dataSource) : IPostStore
{
    // One statement: the post and its tags are inserted together or not at all.
    private const string Create = """
        WITH p AS (
            INSERT INTO posts (user_id, content, image_urls, hashtags, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id),
        tags AS (
            INSERT INTO post_hashtags (tag, post_id) SELECT t, p.id FROM p, unnest($4::text[]) AS t)
        SELECT id FROM p
        """;

    // Every toggle of a post (any user) locks the post's row first: the like count lives there anyway, so this adds
    // no contention, and it makes toggles of one (user, post) strictly take turns. The second statement runs after
    // the lock is granted, so its snapshot sees the previous toggle's committed row.
    private const string LockPost = "SELECT 1 FROM posts WHERE id = $1 FOR UPDATE";

    private const string Toggle = """
        WITH deleted AS (
            DELETE FROM post_likes WHERE post_id = $1 AND user_id = $2 RETURNING 1),
        inserted AS (
            INSERT INTO post_likes (post_id, user_id, created_at)
            SELECT $1, $2, $3 WHERE NOT EXISTS (SELECT 1 FROM deleted) AND EXISTS (SELECT 1 FROM posts WHERE id = $1)
            ON CONFLICT DO NOTHING RETURNING 1)
        UPDATE posts SET like_count = like_count + (SELECT count(*) FROM inserted) - (SELECT count(*) FROM deleted)
        WHERE id = $1
        RETURNING like_count, EXISTS (SELECT 1 FROM inserted)
        """;

    private const string PopularAllTime = $"""
        SELECT {PostgresPostRows.Columns}, p.like_count FROM posts p
        WHERE p.like_count > 0
        ORDER BY p.like_count DESC, p.created_at DESC, p.id DESC LIMIT $1
        """;

    private const string PopularSince = $"""
        SELECT {PostgresPostRows.Columns}, w.likes
        FROM (SELECT post_id, count(*) AS likes FROM post_likes WHERE created_at >= $2 GROUP BY post_id) w
        JOIN posts p ON p.id = w.post_id
        ORDER BY w.likes DESC, p.created_at DESC, p.id DESC LIMIT $1
        """;

    public async Task<Post> CreateAsync(NewPost post, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(Create)
            .With(post.UserId).With(post.Content).With(post.ImageUrls).With(post.Hashtags.ToArray()).With(now);
        var id = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        return new Post(id, post.UserId, post.Content, post.ImageUrls, post.Hashtags, now, 0);
    }

    public async Task<Post?> FindAsync(long postId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {PostgresPostRows.Columns}, p.like_count FROM posts p WHERE p.id = $1").With(postId);
        var found = await PostgresPostRows.ReadAllAsync(command, cancellationToken);
        return found.Count == 0 ? null : found[0];
    }

    public async Task<LikeToggle?> ToggleLikeAsync(long postId, long userId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // A batch without an explicit transaction runs in one implicit transaction: one round trip, all or nothing.
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand(LockPost) { Parameters = { new() { Value = postId } } });
        batch.BatchCommands.Add(new NpgsqlBatchCommand(Toggle) { Parameters = { new() { Value = postId }, new() { Value = userId }, new() { Value = now } } });
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new LikeToggle(postId, userId, reader.GetBoolean(1), reader.GetInt64(0))
            : null;
    }

    public async Task<IReadOnlyList<Post>> PopularAsync(int limit, DateTimeOffset? since, CancellationToken cancellationToken)
    {
        await using var command = since is { } from
            ? dataSource.CreateCommand(PopularSince).With(limit).With(from)
            : dataSource.CreateCommand(PopularAllTime).With(limit);
        return await PostgresPostRows.ReadAllAsync(command, cancellationToken);
    }
}
