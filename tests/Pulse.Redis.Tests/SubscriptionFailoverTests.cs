using System.Net;
using Pulse.Redis.Tests.Infrastructure;

namespace Pulse.Redis.Tests;

/// <summary>Invalidations keep reaching an instance whose subscription's cluster node dies.</summary>
public sealed class SubscriptionFailoverTests(PrivateRedisClusterFixture cluster) : IClassFixture<PrivateRedisClusterFixture>
{
    [Fact]
    public async Task When_the_node_holding_the_subscription_dies_the_instance_resubscribes_on_another_node()
    {
        var prefix = TestKeys.Unique("deployment") + ":";
        await using var listener = await TestKeyspace.ConnectWithPulseTimeoutsAsync(cluster.Configuration, prefix);
        await using var publisher = await TestKeyspace.ConnectWithPulseTimeoutsAsync(cluster.Configuration, prefix);
        var cache = new RedisSharedCache(listener.Keyspace, listener.Logger<RedisSharedCache>());
        var heard = 0;
        cache.OnInvalidated(_ => Interlocked.Increment(ref heard));
        await cache.StartAsync(default);
        var publishing = new RedisSharedCache(publisher.Keyspace, publisher.Logger<RedisSharedCache>());
        var channel = listener.Keyspace.Channel("cache-invalidation");
        var node = (IPEndPoint)listener.Keyspace.Connection.GetSubscriber().SubscribedEndpoint(channel)!;

        cluster.Servers.Single(server => server.Port == node.Port).Kill();

        await Eventually.SucceedsAsync(
            async () =>
            {
                await publishing.InvalidateAsync("user:ext:" + Guid.NewGuid().ToString("N"), default);
                await Task.Delay(100);
                return Volatile.Read(ref heard) > 0;
            },
            Eventually.Patience,
            "an invalidation reaching the instance after its subscription's node died");
        var now = (IPEndPoint?)listener.Keyspace.Connection.GetSubscriber().SubscribedEndpoint(channel);
        Assert.NotEqual(node.Port, now?.Port);
    }
}
