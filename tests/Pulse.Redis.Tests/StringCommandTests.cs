using System.Text;
using Pulse.Redis.Resp;
using Pulse.Redis.Tests.Infrastructure;

namespace Pulse.Redis.Tests;

public sealed class StringCommandTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>, IAsyncLifetime
{
    private RedisConnection _connection = null!;

    public async Task InitializeAsync() => _connection = await redis.ConnectAsync();

    public async Task DisposeAsync() => await _connection.DisposeAsync();

    [Fact]
    public async Task A_value_that_was_set_can_be_read_back()
    {
        var key = TestKeys.Unique("get-set");

        Assert.True(await _connection.StringSetAsync(key, "hello"));

        Assert.Equal("hello", await _connection.StringGetAsync(key));
        Assert.Equal("hello"u8.ToArray(), await _connection.StringGetBytesAsync(key));
        Assert.False(_connection.IsCluster);
    }

    [Fact]
    public async Task A_missing_key_reads_as_null()
    {
        var key = TestKeys.Unique("missing");

        Assert.Null(await _connection.StringGetAsync(key));
        Assert.Null(await _connection.StringGetBytesAsync(key));
        Assert.True((await _connection.ExecuteAsync(key, ["GET", key])).IsNull);
    }

    [Fact]
    public async Task An_expiry_is_sent_in_milliseconds()
    {
        var key = TestKeys.Unique("expiry");

        await _connection.StringSetAsync(key, "v", TimeSpan.FromSeconds(30));

        var ttl = (await _connection.ExecuteAsync(key, ["PTTL", key])).AsLong();
        Assert.InRange(ttl, 29_000, 30_000);
    }

    [Fact]
    public async Task A_key_with_an_expiry_disappears()
    {
        var key = TestKeys.Unique("expires");

        await _connection.StringSetAsync(key, "v", TimeSpan.FromMilliseconds(50));
        await Task.Delay(150);

        Assert.Null(await _connection.StringGetAsync(key));
    }

    [Fact]
    public async Task Only_if_not_exists_does_not_overwrite()
    {
        var key = TestKeys.Unique("nx");

        Assert.True(await _connection.StringSetAsync(key, "first", onlyIfNotExists: true));
        Assert.False(await _connection.StringSetAsync(key, "second", onlyIfNotExists: true));

        Assert.Equal("first", await _connection.StringGetAsync(key));
    }

    [Fact]
    public async Task Delete_and_expire_report_whether_the_key_existed()
    {
        var key = TestKeys.Unique("delete");
        await _connection.StringSetAsync(key, "v");

        Assert.True(await _connection.KeyExpireAsync(key, TimeSpan.FromMinutes(1)));
        Assert.True(await _connection.KeyDeleteAsync(key));
        Assert.False(await _connection.KeyDeleteAsync(key));
        Assert.False(await _connection.KeyExpireAsync(key, TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task A_one_megabyte_value_round_trips()
    {
        var key = TestKeys.Unique("large");
        var value = new byte[1024 * 1024];
        new Random(42).NextBytes(value);

        await _connection.StringSetAsync(key, value);

        Assert.Equal(value, await _connection.StringGetBytesAsync(key));
    }

    [Fact]
    public async Task Values_are_binary_safe()
    {
        var key = TestKeys.Unique("binary");
        // CR, LF, NUL and bytes that are not valid UTF-8 must survive untouched.
        byte[] value = [0, 13, 10, 255, 254, 36, 45, 42, 0xC3, 0x28, 13, 10];

        await _connection.StringSetAsync(key, new ReadOnlyMemory<byte>(value));

        Assert.Equal(value, await _connection.StringGetBytesAsync(key));
        Assert.Equal(value.Length, (await _connection.ExecuteAsync(key, ["STRLEN", key])).AsLong());
    }

    [Theory]
    [InlineData("사용자:42:프로필")]
    [InlineData("🔥🚀:emoji")]
    public async Task Utf8_keys_and_values_are_stored_as_utf8(string name)
    {
        var key = name + Guid.NewGuid().ToString("N");

        await _connection.StringSetAsync(key, "값 ✓ 🎉");

        Assert.Equal("값 ✓ 🎉", await _connection.StringGetAsync(key));
        // redis-cli sees the same key bytes, proving the client sent UTF-8.
        Assert.Equal("값 ✓ 🎉", await redis.CliAsync("GET", key));
        Assert.Equal(Encoding.UTF8.GetByteCount("값 ✓ 🎉"), (await _connection.ExecuteAsync(key, ["STRLEN", key])).AsLong());
    }

    [Fact]
    public async Task Numbers_are_sent_as_invariant_text()
    {
        var key = TestKeys.Unique("numbers");

        await _connection.ExecuteAsync(key, ["SET", key, 1.5]);
        var incremented = await _connection.ExecuteAsync(key, ["INCRBYFLOAT", key, 0.25]);
        await _connection.ExecuteAsync(key + ":int", ["SET", key + ":int", -7L]);

        Assert.Equal(1.75, incremented.AsDouble());
        Assert.Equal(-7, (await _connection.ExecuteAsync(key, ["GET", key + ":int"])).AsLong());
    }

    [Fact]
    public async Task Array_replies_are_exposed_element_by_element()
    {
        var key = TestKeys.Unique("list");
        await _connection.ExecuteAsync(key, ["RPUSH", key, "a", "b", "c"]);

        var items = (await _connection.ExecuteAsync(key, ["LRANGE", key, 0, -1])).AsArray();

        Assert.Equal(["a", "b", "c"], items!.Select(item => item.AsString()));
    }

    [Fact]
    public async Task Ping_measures_a_round_trip()
    {
        var elapsed = await _connection.PingAsync();

        Assert.InRange(elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(1));
    }
}
