using System.Text.Json;
using Microsoft.Data.Sqlite;
using Pulse.Core.Posts;

namespace Pulse.Sqlite.Posts;

/// <summary>The column list every post query selects, and its mapping. Hashtags are a JSON array, in the order given.</summary>
internal static class SqlitePostRows
{
    public const string Columns = "p.id, p.user_id, p.content, p.image_urls, p.hashtags, p.created_at";

    public static string HashtagsJson(IReadOnlyList<string> hashtags) =>
        JsonSerializer.Serialize(hashtags as List<string> ?? [.. hashtags], PostsStorageJsonContext.Default.ListString);

    /// <summary>Maps <see cref="Columns"/> followed by a like count.</summary>
    public static Post Map(SqliteDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetInt64(1),
        reader.GetString(2),
        reader.IsDBNull(3) ? null : reader.GetString(3),
        JsonSerializer.Deserialize(reader.GetString(4), PostsStorageJsonContext.Default.ListString) ?? [],
        SqliteValues.FromUnixMs(reader.GetInt64(5)),
        reader.GetInt64(6));

    public static async Task<IReadOnlyList<Post>> ReadAllAsync(SqliteCommand command, CancellationToken cancellationToken)
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
