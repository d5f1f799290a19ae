using Npgsql;
using Pulse.Core.Posts;

namespace Pulse.Postgres.Posts;

/// <summary>Hashtag search: the (tag, post_id) primary key finds the posts, ordered by the like count kept on each post.</summary>
public sealed class PostgresPostSearchStore(NpgsqlDataSource dataSource) : IPostSearchStore
{
    private const string Search = $"""
        SELECT {PostgresPostRows.Columns}, p.like_count
        FROM post_hashtags h JOIN posts p ON p.id = h.post_id
        WHERE h.tag = $1
        ORDER BY p.like_count DESC, p.created_at DESC, p.id DESC LIMIT $2
        """;

    public async Task<IReadOnlyList<Post>> SearchByHashtagAsync(string hashtag, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(Search).With(hashtag).With(limit);
        return await PostgresPostRows.ReadAllAsync(command, cancellationToken);
    }
}
