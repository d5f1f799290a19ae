using Pulse.Api.Tests.Infrastructure;

namespace Pulse.Api.Tests.Posts;

/// <summary>
/// Two Pulse instances on one PostgreSQL database and one Redis (same key prefix). Each instance coalesces its own
/// callers, so only the distributed lock can keep the two instances from both querying the database. The lock wait
/// (to its 30 s maximum) and the lock's lease (to a minute) are raised so that a slow test machine cannot make the
/// waiting instance give up, or take over a lease the slow holder still needs, and query on its own. A waiting
/// instance takes the stored result as soon as it appears, so a passing test is no slower for it.
/// </summary>
public abstract class DistributedSearchLockTests : IAsyncLifetime
{
    private string? _database;
    private PostsHost? _first;
    private PostsHost? _second;

    protected abstract string RedisConfiguration { get; }

    public async Task InitializeAsync()
    {
        try
        {
            _database = await TestDatabases.CreateAsync();
            var settings = new Dictionary<string, string?>
            {
                ["ConnectionStrings:Postgres"] = TestDatabases.ConnectionString(_database),
                ["ConnectionStrings:Redis"] = RedisConfiguration,
                ["Redis:KeyPrefix"] = TestEnvironment.Unique("two") + ":",
                ["Posts:SearchCache:LockWait"] = "00:00:30",
                ["Posts:SearchCache:LockLease"] = "00:01:00",
            };
            _first = new PostsHost(settings);
            _second = new PostsHost(settings);
        }
        catch
        {
            // xunit does not call DisposeAsync when InitializeAsync fails.
            await DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        try
        {
            foreach (var host in new[] { _first, _second })
            {
                if (host is not null)
                {
                    await host.DisposeAsync();
                }
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

    [Fact]
    public async Task Two_instances_searching_one_cold_keyword_at_once_query_the_database_once()
    {
        // Warm both instances up (connections, JIT) on a keyword of their own.
        await _first!.Client.SearchAsync(PostsClient.NewTag());
        await _second!.Client.SearchAsync(PostsClient.NewTag());
        var tag = PostsClient.NewTag("고양이");
        var postId = await _first.Client.CreatePostAsync(tag);
        var before = Queries();

        var searches = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => (i % 2 == 0 ? _first : _second).Client.SearchAsync(tag)));

        Assert.All(searches, results => Assert.Equal([postId], results.PostIds()));
        Assert.Equal(1, Queries() - before);
    }

    private long Queries() => PostsDatabase.SearchQueries(_first!.Services) + PostsDatabase.SearchQueries(_second!.Services);
}

public sealed class DistributedSearchLockTests_Server : DistributedSearchLockTests
{
    protected override string RedisConfiguration => TestEnvironment.Redis;
}

public sealed class DistributedSearchLockTests_Cluster : DistributedSearchLockTests
{
    protected override string RedisConfiguration => TestEnvironment.RedisCluster;
}
