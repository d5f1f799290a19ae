using System.Diagnostics;
using System.Net;
using Pulse.Api.Tests.Infrastructure;
using Pulse.Redis.Tests.Infrastructure;

namespace Pulse.Api.Tests.Posts;

/// <summary>Server mode starts while Redis is down, serves from the database, and uses Redis once it is up, without a restart.</summary>
public sealed class RedisStartupTests : IAsyncLifetime
{
    private readonly int _redisPort = FreePort.Find();
    private OwnRedisServer? _redis;
    private string? _database;
    private PostsHost? _host;

    public async Task InitializeAsync() => _database = await TestDatabases.CreateAsync();

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }

        if (_database is not null)
        {
            await TestDatabases.DropAsync(_database);
        }
    }

    [Fact]
    public async Task Pulse_starts_without_redis_and_caches_searches_once_redis_comes_up()
    {
        var stopwatch = Stopwatch.StartNew();
        _host = new PostsHost(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = TestDatabases.ConnectionString(_database!),
            ["ConnectionStrings:Redis"] = $"127.0.0.1:{_redisPort}",
            ["Redis:KeyPrefix"] = TestEnvironment.Unique("startup") + ":",
        });
        var client = _host.Client;
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/health/ready")).StatusCode);
        var tag = PostsClient.NewTag();
        var postId = await client.CreatePostAsync(tag);
        var before = PostsDatabase.SearchQueries(_host.Services);
        Assert.Equal([postId], (await client.SearchAsync(tag)).PostIds());
        Assert.Equal([postId], (await client.SearchAsync(tag)).PostIds());
        Assert.Equal(2, PostsDatabase.SearchQueries(_host.Services) - before);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(15), $"start-up and the first requests without Redis took {stopwatch.Elapsed}");

        _redis = await OwnRedisServer.StartAsync(_redisPort);
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while ((await client.GetAsync("/health/ready")).StatusCode != HttpStatusCode.OK)
        {
            Assert.True(DateTime.UtcNow < deadline, "Pulse did not become ready after Redis came up");
            await Task.Delay(100);
        }

        var cached = PostsClient.NewTag();
        await client.CreatePostAsync(cached);
        before = PostsDatabase.SearchQueries(_host.Services);
        await client.SearchAsync(cached);
        await client.SearchAsync(cached);
        Assert.Equal(1, PostsDatabase.SearchQueries(_host.Services) - before);
    }
}
