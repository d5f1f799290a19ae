using Pulse.Redis.Tests.Infrastructure;

namespace Pulse.Redis.Tests;

public sealed class ConcurrencyTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    [Fact]
    public async Task Fifty_concurrent_callers_each_incrementing_a_thousand_times_count_exactly()
    {
        await using var connection = await redis.ConnectAsync();
        var key = TestKeys.Unique("counter");

        await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 1000; i++)
            {
                await connection.ExecuteAsync(key, ["INCR", key]);
            }
        })));

        Assert.Equal(50_000, (await connection.ExecuteAsync(key, ["GET", key])).AsLong());
    }

    [Fact]
    public async Task Each_concurrent_caller_gets_its_own_reply()
    {
        await using var connection = await redis.ConnectAsync();
        var prefix = TestKeys.Unique("own-reply");

        // Replies are paired with callers by order only; mixing up two would show as a wrong value.
        await Task.WhenAll(Enumerable.Range(0, 2000).Select(async i =>
        {
            var key = $"{prefix}:{i}";
            await connection.StringSetAsync(key, $"value-{i}");
            Assert.Equal($"value-{i}", await connection.StringGetAsync(key));
        }));
    }

    [Fact]
    public async Task A_caller_that_cancels_does_not_disturb_the_others()
    {
        await using var connection = await redis.ConnectAsync();
        var key = TestKeys.Unique("cancel");
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => connection.ExecuteAsync(key, ["SET", key, "x"], cancelled.Token));
        // A blocking command abandoned mid-flight: its late reply (after 1 s) must still be consumed in order.
        using var abandon = new CancellationTokenSource();
        var blocked = connection.ExecuteAsync(key, ["BLPOP", key + ":list", 1], abandon.Token);
        await Task.Delay(50);
        await abandon.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => blocked);

        Assert.Equal("PONG", (await connection.ExecuteAsync(null, ["PING"])).AsString());
        await connection.StringSetAsync(key, "after");
        Assert.Equal("after", await connection.StringGetAsync(key));
    }
}
