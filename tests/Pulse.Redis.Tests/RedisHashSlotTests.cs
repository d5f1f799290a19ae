using Pulse.Redis.Resp;

namespace Pulse.Redis.Tests;

public sealed class RedisHashSlotTests
{
    // Reference values from the Redis Cluster specification and CLUSTER KEYSLOT on a real server.
    [Theory]
    [InlineData("123456789", 12739)]
    [InlineData("foo", 12182)]
    [InlineData("bar", 5061)]
    [InlineData("{user1000}.following", 3443)]
    [InlineData("{user1000}.followers", 3443)]
    [InlineData("user1000", 3443)]
    [InlineData("foo{}{bar}", 8363)]
    [InlineData("foo{{bar}}zap", 4015)]
    [InlineData("foo{bar}{zap}", 5061)]
    [InlineData("사용자:42", 9004)]
    [InlineData("🔥:key", 11881)]
    public void Slots_match_the_cluster_specification(string key, int slot)
    {
        Assert.Equal(slot, RedisHashSlot.Compute(key));
    }
}
