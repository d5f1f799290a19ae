using System.Diagnostics;
using Pulse.Api.Tests.Infrastructure;

namespace Pulse.Api.Tests.Posts;

/// <summary>A server-mode host on a Redis of its own, which the test kills mid-way.</summary>
public sealed class RedisOutageTests_Server : IAsyncLifetime
{
    private OwnRedisServer? _redis;
    private string? _database;
    private PostsHost? _host;

    private HttpClient Client => _host!.Client;

    private long Queries => PostsDatabase.SearchQueries(_host!.Services);

    public async Task InitializeAsync()
    {
        try
        {
            _redis = await OwnRedisServer.StartAsync();
            _database = await TestDatabases.CreateAsync();
            _host = new PostsHost(new Dictionary<string, string?>
            {
                ["ConnectionStrings:Postgres"] = TestDatabases.ConnectionString(_database),
                ["ConnectionStrings:Redis"] = _redis.Configuration + ",connectTimeout=500,syncTimeout=1000",
                ["Redis:KeyPrefix"] = TestEnvironment.Unique("outage") + ":",
            });
        }
        catch
        {
            // xunit does not call DisposeAsync when InitializeAsync fails: stop redis-server here.
            await DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        try
        {
            if (_host is not null)
            {
                await _host.DisposeAsync();
            }
        }
        finally
        {
            try
            {
                if (_redis is not null)
                {
                    await _redis.DisposeAsync();
                }
            }
            finally
            {
                if (_database is not null)
                {
                    await TestDatabases.DropAsync(_database);
                }
            }
        }
    }

    [Fact]
    public async Task A_redis_outage_never_fails_a_search_and_caching_resumes_when_redis_is_back()
    {
        var tag = PostsClient.NewTag("고양이");
        var postId = await Client.CreatePostAsync(tag);
        var userId = PostsClient.NewUserId();
        // Cached in Redis before the outage. A cache write that outlives its 1 s timeout on a busy machine is dropped
        // (the search still answers), so look until a search is answered from the cache instead of expecting the first.
        await Eventually.HoldsAsync(async () =>
        {
            await Client.SearchAsync(tag, userId);
            var afterFirst = Queries;
            await Client.SearchAsync(tag, userId);
            return Queries == afterFirst;
        }, "a search answered from the cache before the outage");
        var before = Queries;

        await _redis!.KillAsync();

        var stopwatch = Stopwatch.StartNew();
        Assert.Equal([postId], (await Client.SearchAsync(tag, userId)).PostIds());
        Assert.Equal([postId], (await Client.SearchAsync(tag, userId)).PostIds());
        Assert.Equal(2, Queries - before);
        Assert.Empty(await Client.SearchAsync(PostsClient.NewTag(), userId));
        var concurrent = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Client.SearchAsync(tag)));
        Assert.All(concurrent, results => Assert.Equal([postId], results.PostIds()));
        Assert.True((await Client.ToggleLikeAsync(postId, userId))["liked"]!.GetValue<bool>());
        Assert.Empty(await Client.RecentKeywordsAsync(userId));
        stopwatch.Stop();
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(15), $"searches during the outage took {stopwatch.Elapsed}");

        await _redis.RestartAsync();
        var resumed = PostsClient.NewTag();
        await Client.CreatePostAsync(resumed);
        await Eventually.HoldsAsync(async () =>
        {
            await Client.SearchAsync(resumed);
            var afterFirst = Queries;
            await Client.SearchAsync(resumed);
            return Queries == afterFirst;
        }, "searches cached again after Redis came back");
    }
}
