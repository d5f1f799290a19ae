using Pulse.Core.Posts;

namespace Pulse.Sqlite.Posts;

/// <summary>SQL text is built from constants only; every value is a parameter.</summary>
public sealed class SqlitePostStore(SqliteDatabase database) : IPostStore
{
    private const string PopularAllTime = $"""
        SELECT {SqlitePostRows.Columns}, p.like_count FROM posts p
        WHERE p.like_count > 0
        ORDER BY p.like_count DESC, p.created_at DESC, p.id DESC LIMIT $limit
        """;

    private const string PopularSince = $"""
        SELECT {SqlitePostRows.Columns}, w.likes
        FROM (SELECT post_id, COUNT(*) AS likes FROM post_likes WHERE created_at >= $since GROUP BY post_id) w
        JOIN posts p ON p.id = w.post_id
        ORDER BY w.likes DESC, p.created_at DESC, p.id DESC LIMIT $limit
        """;

    public Task<Post> CreateAsync(NewPost post, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction, ct) =>
        {
            long id;
            await using (var insert = connection.Command(
                    "INSERT INTO posts (user_id, content, image_urls, hashtags, created_at) VALUES ($u, $c, $i, $h, $t) RETURNING id", transaction)
                .With("$u", post.UserId).With("$c", post.Content).With("$i", post.ImageUrls)
                .With("$h", SqlitePostRows.HashtagsJson(post.Hashtags)).With("$t", SqliteValues.ToUnixMs(now)))
            {
                id = (long)(await insert.ExecuteScalarAsync(ct))!;
            }

            if (post.Hashtags.Count > 0)
            {
                await using var tag = connection.Command("INSERT INTO post_hashtags (tag, post_id) VALUES ($tag, $post)", transaction)
                    .With("$tag", string.Empty).With("$post", id);
                foreach (var hashtag in post.Hashtags)
                {
                    tag.Parameters["$tag"].Value = hashtag;
                    await tag.ExecuteNonQueryAsync(ct);
                }
            }

            return new Post(id, post.UserId, post.Content, post.ImageUrls, post.Hashtags, now, 0);
        }, cancellationToken);

    public Task<Post?> FindAsync(long postId, CancellationToken cancellationToken) =>
        database.ReadAsync(async (connection, ct) =>
        {
            await using var command = connection.Command($"SELECT {SqlitePostRows.Columns}, p.like_count FROM posts p WHERE p.id = $id").With("$id", postId);
            var found = await SqlitePostRows.ReadAllAsync(command, ct);
            return found.Count == 0 ? null : found[0];
        }, cancellationToken);

    public Task<LikeToggle?> ToggleLikeAsync(long postId, long userId, DateTimeOffset now, CancellationToken cancellationToken) =>
        // SQLite has one writer at a time (SqliteDatabase serialises them), so read-then-write is race-free here.
        database.WriteAsync(async (connection, transaction, ct) =>
        {
            await using (var exists = connection.Command("SELECT 1 FROM posts WHERE id = $p", transaction).With("$p", postId))
            {
                if (await exists.ExecuteScalarAsync(ct) is null)
                {
                    return null;
                }
            }

            bool liked;
            await using (var delete = connection.Command("DELETE FROM post_likes WHERE post_id = $p AND user_id = $u", transaction)
                .With("$p", postId).With("$u", userId))
            {
                liked = await delete.ExecuteNonQueryAsync(ct) == 0;
            }

            if (liked)
            {
                await using var insert = connection.Command("INSERT INTO post_likes (post_id, user_id, created_at) VALUES ($p, $u, $t)", transaction)
                    .With("$p", postId).With("$u", userId).With("$t", SqliteValues.ToUnixMs(now));
                await insert.ExecuteNonQueryAsync(ct);
            }

            await using var update = connection.Command("UPDATE posts SET like_count = like_count + $d WHERE id = $p RETURNING like_count", transaction)
                .With("$d", liked ? 1 : -1).With("$p", postId);
            var count = (long)(await update.ExecuteScalarAsync(ct))!;
            return new LikeToggle(postId, userId, liked, count);
        }, cancellationToken);

    public Task<IReadOnlyList<Post>> PopularAsync(int limit, DateTimeOffset? since, CancellationToken cancellationToken) =>
        database.ReadAsync(async (connection, ct) =>
        {
            await using var command = since is { } from
                ? connection.Command(PopularSince).With("$since", SqliteValues.ToUnixMs(from)).With("$limit", limit)
                : connection.Command(PopularAllTime).With("$limit", limit);
            return await SqlitePostRows.ReadAllAsync(command, ct);
        }, cancellationToken);
}
