using System.Diagnostics;
using Pulse.Redis.Resp;
using Pulse.Redis.Tests.Infrastructure;

namespace Pulse.Redis.Tests;

public sealed class ClusterOutageTests(PrivateRedisClusterFixture cluster) : IClassFixture<PrivateRedisClusterFixture>
{
    [Fact]
    public async Task A_dead_master_fails_only_its_own_slots_and_is_used_again_after_its_restart()
    {
        await using var connection = await cluster.ConnectAsync(",syncTimeout=5000");
        var victim = cluster.Servers[0];
        var victimKey = await KeyOwnedByAsync(victim);
        var survivorKey = await KeyOwnedByAsync(cluster.Servers[1]);
        await connection.StringSetAsync(victimKey, "lost with the node");
        await connection.StringSetAsync(survivorKey, "still here");

        victim.Kill();
        var stopwatch = Stopwatch.StartNew();

        await Assert.ThrowsAsync<RedisConnectionException>(() => connection.StringGetAsync(victimKey));
        Assert.InRange(stopwatch.ElapsedMilliseconds, 0, 1000);
        Assert.Equal("still here", await connection.StringGetAsync(survivorKey));

        // Same port and nodes.conf: the node rejoins owning the same slots (its data is gone: no persistence).
        await victim.StartAsync();
        await Eventually.SucceedsAsync(
            async () => await connection.StringSetAsync(victimKey, "back"),
            TimeSpan.FromSeconds(10),
            "a write to the restarted master");
        Assert.Equal("back", await connection.StringGetAsync(victimKey));
    }

    private async Task<string> KeyOwnedByAsync(RedisServer server)
    {
        for (var i = 0; ; i++)
        {
            var key = TestKeys.Unique("owned") + i;
            var owner = await cluster.OwnerOfSlotAsync(RedisHashSlot.Compute(key));
            if (owner.Port == server.Port)
            {
                return key;
            }
        }
    }
}
