using Pulse.Redis.Resp;
using Pulse.Redis.Tests.Infrastructure;

namespace Pulse.Redis.Tests;

/// <summary>Slots are moved under a connected client, as resharding does; each test moves its own key's slot.</summary>
[Collection(RedisClusterCollection.Name)]
public sealed class ClusterRedirectionTests(RedisClusterFixture cluster)
{
    [Fact]
    public async Task A_stale_slot_map_is_corrected_by_a_MOVED_reply()
    {
        await using var connection = await cluster.ConnectAsync();
        var key = TestKeys.Unique("moved");
        await connection.StringSetAsync(key, "survives resharding");
        var slot = RedisHashSlot.Compute(key);
        var oldOwner = await cluster.OwnerOfSlotAsync(slot);
        var newOwner = cluster.Nodes.First(node => node != oldOwner);

        await cluster.MigrateSlotAsync(slot, newOwner);

        // The client still maps the slot to the old owner, which answers MOVED.
        Assert.Equal("survives resharding", await connection.StringGetAsync(key));
        // From now on the client goes straight to the new owner.
        var getsBefore = await RedisCli.CommandCallsAsync(oldOwner.Host, oldOwner.Port, "get");
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal("survives resharding", await connection.StringGetAsync(key));
        }
        Assert.Equal(getsBefore, await RedisCli.CommandCallsAsync(oldOwner.Host, oldOwner.Port, "get"));
    }

    [Fact]
    public async Task An_ASK_redirect_is_followed_while_a_slot_is_migrating()
    {
        await using var connection = await cluster.ConnectAsync();
        var key = TestKeys.Unique("ask");
        await connection.StringSetAsync(key, "already moved");
        var slot = RedisHashSlot.Compute(key);
        var oldOwner = await cluster.OwnerOfSlotAsync(slot);
        var newOwner = cluster.Nodes.First(node => node != oldOwner);

        await cluster.MigrateSlotAsync(slot, newOwner, finish: false);
        try
        {
            // The old owner no longer has the key and answers ASK; the new owner only serves it after ASKING.
            Assert.Equal("already moved", await connection.StringGetAsync(key));
            Assert.True(await connection.StringSetAsync(key, "written during migration"));
        }
        finally
        {
            await cluster.FinishMigrationAsync(slot, newOwner);
        }

        Assert.Equal("written during migration", await connection.StringGetAsync(key));
    }
}
