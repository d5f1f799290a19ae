using System.Text;
using System.Threading.Channels;
using Pulse.Redis.Resp;
using Pulse.Redis.Tests.Infrastructure;

namespace Pulse.Redis.Tests;

public sealed class PubSubReconnectTests
{
    [Fact]
    public async Task A_subscription_survives_a_server_restart()
    {
        using var server = await RedisServer.StartAsync();
        await using var connection = await RedisConnection.ConnectAsync(RedisConfiguration.Parse(server.Endpoint));
        var inbox = Channel.CreateUnbounded<string>();
        await using var subscription = await connection.SubscribeAsync("news", (_, message) => inbox.Writer.TryWrite(Encoding.UTF8.GetString(message.Span)));
        await connection.PublishAsync("news", "before");
        Assert.Equal("before", await inbox.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5)));

        server.Kill();
        await server.StartAsync();

        // The restarted server knows no subscribers until the client resubscribes on its own.
        await Eventually.SucceedsAsync(
            async () => await connection.PublishAsync("news", "after") == 1,
            TimeSpan.FromSeconds(5),
            "the automatic resubscription");
        Assert.Equal("after", await inbox.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5)));
    }
}
