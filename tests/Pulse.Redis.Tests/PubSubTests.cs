using System.Text;
using System.Threading.Channels;
using Pulse.Redis.Resp;
using Pulse.Redis.Tests.Infrastructure;

namespace Pulse.Redis.Tests;

public sealed class PubSubTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);
    private RedisConnection _connection = null!;

    public async Task InitializeAsync() => _connection = await redis.ConnectAsync();

    public async Task DisposeAsync() => await _connection.DisposeAsync();

    [Fact]
    public async Task A_published_message_reaches_the_subscriber()
    {
        var channel = TestKeys.Unique("channel");
        var inbox = Channel.CreateUnbounded<(string Channel, string Message)>();
        await using var subscription = await _connection.SubscribeAsync(channel, (name, message) => inbox.Writer.TryWrite((name, Encoding.UTF8.GetString(message.Span))));

        Assert.Equal(1, await _connection.PublishAsync(channel, "hello 👋"));

        Assert.Equal((channel, "hello 👋"), await inbox.Reader.ReadAsync().AsTask().WaitAsync(Patience));
    }

    [Fact]
    public async Task Messages_arrive_in_publish_order_with_their_bytes_intact()
    {
        var channel = TestKeys.Unique("ordered");
        var inbox = Channel.CreateUnbounded<byte[]>();
        await using var subscription = await _connection.SubscribeAsync(channel, (_, message) => inbox.Writer.TryWrite(message.ToArray()));

        for (var i = 0; i < 100; i++)
        {
            await _connection.PublishAsync(channel, new byte[] { (byte)i, 0, 13, 10, 255 });
        }

        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(new byte[] { (byte)i, 0, 13, 10, 255 }, await inbox.Reader.ReadAsync().AsTask().WaitAsync(Patience));
        }
    }

    [Fact]
    public async Task Disposing_the_last_subscription_unsubscribes_the_channel()
    {
        var channel = TestKeys.Unique("unsubscribe");
        var first = await _connection.SubscribeAsync(channel, (_, _) => { });
        var second = await _connection.SubscribeAsync(channel, (_, _) => { });

        await first.DisposeAsync();
        Assert.Equal(1, await _connection.PublishAsync(channel, "still subscribed"));

        await second.DisposeAsync();
        Assert.Equal(0, await _connection.PublishAsync(channel, "nobody listens"));
    }

    [Fact]
    public async Task A_throwing_handler_does_not_stop_delivery_to_the_others()
    {
        var channel = TestKeys.Unique("throwing");
        var inbox = Channel.CreateUnbounded<string>();
        await using var bad = await _connection.SubscribeAsync(channel, (_, _) => throw new InvalidOperationException("handler bug"));
        await using var good = await _connection.SubscribeAsync(channel, (_, message) => inbox.Writer.TryWrite(Encoding.UTF8.GetString(message.Span)));

        await _connection.PublishAsync(channel, "one");
        await _connection.PublishAsync(channel, "two");

        Assert.Equal("one", await inbox.Reader.ReadAsync().AsTask().WaitAsync(Patience));
        Assert.Equal("two", await inbox.Reader.ReadAsync().AsTask().WaitAsync(Patience));
    }

    [Fact]
    public async Task Subscribing_while_Redis_is_down_fails_and_registers_nothing()
    {
        await using var offline = await RedisConnection.ConnectAsync(RedisConfiguration.Parse($"127.0.0.1:{FreePort.Find()},connectTimeout=300"));

        await Assert.ThrowsAsync<RedisConnectionException>(() => offline.SubscribeAsync("ch", (_, _) => { }));
    }
}
