using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Pulse.Sqlite;

namespace Pulse.Api.Tests.Posts;

/// <summary>Looks at what a host stored, behind the API's back.</summary>
public static class PostsDatabase
{
    public static async Task<long> CountLikeRowsAsync(IServiceProvider services, long postId)
    {
        if (services.GetService<NpgsqlDataSource>() is { } postgres)
        {
            await using var command = postgres.CreateCommand("SELECT count(*) FROM post_likes WHERE post_id = $1");
            command.Parameters.AddWithValue(postId);
            return (long)(await command.ExecuteScalarAsync())!;
        }

        return await services.GetRequiredService<SqliteDatabase>().ReadAsync(async (connection, ct) =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM post_likes WHERE post_id = $p";
            command.Parameters.AddWithValue("$p", postId);
            return (long)(await command.ExecuteScalarAsync(ct))!;
        }, CancellationToken.None);
    }

    /// <summary>How many hashtag queries reached this host's database so far.</summary>
    public static long SearchQueries(IServiceProvider services) => SearchQueryCounter.Read(services);
}
