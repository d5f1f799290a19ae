using Pulse.Core.Posts;

namespace Pulse.Sqlite.Posts;

/// <summary>Hashtag search: the (tag, post_id) primary key finds the posts, ordered by the like count kept on each post.</summary>
public sealed class SqlitePostSearchStore(SqliteDatabase database) : IPostSearchStore
{
    private const string Search = $"""
        SELECT {SqlitePostRows.Columns}, p.like_count
        FROM post_hashtags h JOIN posts p ON p.id = h.post_id
        WHERE h.tag = $tag
        ORDER BY p.like_count DESC, p.created_at DESC, p.id DESC LIMIT $limit
        """;

    public Task<IReadOnlyList<Post>> SearchByHashtagAsync(string hashtag, int limit, CancellationToken cancellationToken) =>
        database.ReadAsync(async (connection, ct) =>
        {
            await using var command = connection.Command(Search).With("$tag", hashtag).With("$limit", limit);
            return await SqlitePostRows.ReadAllAsync(command, ct);
        }, cancellationToken);
}
