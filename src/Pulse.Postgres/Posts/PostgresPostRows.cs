using Npgsql;
using Pulse.Core.Posts;

namespace Pulse.Postgres.Posts;

/// <summary>The column list every post query selects, and its mapping.</summary>
internal static class PostgresPostRows
{
    public const string Columns = "p.id, p.user_id, p.content, p.image_urls, p.hashtags, p.created_at";

    /// <summary>Maps <see cref="Columns"/> followed by a like count.</summary>
    public static Post Map(NpgsqlDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetInt64(1),
        reader.GetString(2),
        reader.IsDBNull(3) ? null : reader.GetString(3),
        reader.GetFieldValue<string[]>(4),
        reader.ReadTime(5),
        reader.GetInt64(6));

    public static async Task<IReadOnlyList<Post>> ReadAllAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var posts = new List<Post>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            posts.Add(Map(reader));
        }

        return posts;
    }
}
