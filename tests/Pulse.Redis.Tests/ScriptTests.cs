using Pulse.Redis.Resp;
using Pulse.Redis.Tests.Infrastructure;

namespace Pulse.Redis.Tests;

public sealed class ScriptTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>, IAsyncLifetime
{
    private RedisConnection _connection = null!;

    public async Task InitializeAsync() => _connection = await redis.ConnectAsync();

    public async Task DisposeAsync() => await _connection.DisposeAsync();

    [Fact]
    public async Task A_script_gets_its_keys_and_arguments()
    {
        var script = new LuaScript("redis.call('SET', KEYS[1], ARGV[1]) return redis.call('GET', KEYS[1]) .. ARGV[2]");
        var key = TestKeys.Unique("script");

        var result = await _connection.ScriptEvaluateAsync(script, [key], ["abc", 42]);

        Assert.Equal("abc42", result.AsString());
        Assert.Equal("abc", await _connection.StringGetAsync(key));
    }

    [Fact]
    public async Task The_sha1_matches_what_redis_computes()
    {
        var script = new LuaScript("return 'sha check'");

        Assert.Equal(await redis.CliAsync("SCRIPT", "LOAD", script.Source), script.Sha1);
    }

    [Fact]
    public async Task A_cached_script_is_run_by_sha_without_resending_its_source()
    {
        // A fresh source, so no earlier test cached it.
        var script = new LuaScript($"return '{Guid.NewGuid()}'");
        var (evalBefore, evalshaBefore) = await CallCountsAsync();

        await _connection.ScriptEvaluateAsync(script, []);
        await _connection.ScriptEvaluateAsync(script, []);

        var (evalAfter, evalshaAfter) = await CallCountsAsync();
        // First call: EVALSHA answered NOSCRIPT, then EVAL. Second call: EVALSHA only.
        Assert.Equal(1, evalAfter - evalBefore);
        Assert.Equal(2, evalshaAfter - evalshaBefore);
    }

    [Fact]
    public async Task A_flushed_script_cache_is_refilled_transparently()
    {
        var script = new LuaScript("return ARGV[1] + 1");

        Assert.Equal(2, (await _connection.ScriptEvaluateAsync(script, [], [1])).AsLong());
        await _connection.ExecuteAsync(null, ["SCRIPT", "FLUSH"]);
        Assert.Equal(0, (await _connection.ExecuteAsync(null, ["SCRIPT", "EXISTS", script.Sha1])).AsArray()![0].AsLong());

        Assert.Equal(6, (await _connection.ScriptEvaluateAsync(script, [], [5])).AsLong());
        Assert.Equal(1, (await _connection.ExecuteAsync(null, ["SCRIPT", "EXISTS", script.Sha1])).AsArray()![0].AsLong());
    }

    [Fact]
    public async Task A_script_error_surfaces_as_a_server_exception()
    {
        var script = new LuaScript("return redis.error_reply('QUOTA exceeded')");

        var error = await Assert.ThrowsAsync<RedisServerException>(() => _connection.ScriptEvaluateAsync(script, []));

        Assert.Equal("QUOTA exceeded", error.Message);
    }

    [Fact]
    public async Task Keys_in_different_slots_are_rejected_before_anything_is_sent()
    {
        var script = new LuaScript("return redis.call('SET', KEYS[1], 'x')");
        var (first, second) = (TestKeys.Unique("a"), TestKeys.Unique("b"));

        var error = await Assert.ThrowsAsync<ArgumentException>(() => _connection.ScriptEvaluateAsync(script, [first, second]));

        Assert.Contains("same Redis Cluster slot", error.Message, StringComparison.Ordinal);
        Assert.Null(await _connection.StringGetAsync(first));
    }

    private async Task<(long Eval, long Evalsha)> CallCountsAsync() =>
        (await RedisCli.CommandCallsAsync(redis.Host, redis.Port, "eval"), await RedisCli.CommandCallsAsync(redis.Host, redis.Port, "evalsha"));
}
