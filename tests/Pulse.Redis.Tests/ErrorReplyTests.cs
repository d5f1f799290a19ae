using Pulse.Redis.Resp;
using Pulse.Redis.Tests.Infrastructure;

namespace Pulse.Redis.Tests;

public sealed class ErrorReplyTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>, IAsyncLifetime
{
    private RedisConnection _connection = null!;

    public async Task InitializeAsync() => _connection = await redis.ConnectAsync();

    public async Task DisposeAsync() => await _connection.DisposeAsync();

    [Fact]
    public async Task An_error_reply_throws_the_server_text_and_the_connection_stays_usable()
    {
        var key = TestKeys.Unique("wrongtype");
        await _connection.StringSetAsync(key, "a string");

        var error = await Assert.ThrowsAsync<RedisServerException>(() => _connection.ExecuteAsync(key, ["LPUSH", key, "x"]));

        Assert.StartsWith("WRONGTYPE", error.Message, StringComparison.Ordinal);
        Assert.Equal("a string", await _connection.StringGetAsync(key));
    }

    [Fact]
    public async Task Errors_interleaved_with_successes_go_to_the_right_callers()
    {
        var key = TestKeys.Unique("interleaved");
        await _connection.StringSetAsync(key, "v");

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 500).Select(async i =>
        {
            try
            {
                return i % 2 == 0
                    ? (await _connection.ExecuteAsync(key, ["GET", key])).AsString()
                    : (await _connection.ExecuteAsync(null, ["NOSUCHCOMMAND", i])).AsString();
            }
            catch (RedisServerException ex)
            {
                return "error:" + ex.Message;
            }
        }));

        for (var i = 0; i < outcomes.Length; i++)
        {
            if (i % 2 == 0)
            {
                Assert.Equal("v", outcomes[i]);
            }
            else
            {
                Assert.StartsWith("error:ERR unknown command 'NOSUCHCOMMAND'", outcomes[i], StringComparison.Ordinal);
            }
        }
    }

    [Theory]
    [InlineData("SUBSCRIBE")]
    [InlineData("psubscribe")]
    [InlineData("MONITOR")]
    [InlineData("HELLO")]
    [InlineData("MULTI")]
    [InlineData("watch")]
    public async Task Commands_that_would_hijack_the_shared_connection_are_refused(string command)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _connection.ExecuteAsync(null, [command, "3"]));

        Assert.Equal("PONG", (await _connection.ExecuteAsync(null, ["PING"])).AsString());
    }

    [Fact]
    public async Task A_reply_of_the_wrong_shape_cannot_be_read_as_a_number()
    {
        var key = TestKeys.Unique("shape");
        await _connection.StringSetAsync(key, "not a number");

        var reply = await _connection.ExecuteAsync(key, ["GET", key]);

        Assert.Throws<InvalidCastException>(() => reply.AsLong());
    }
}
