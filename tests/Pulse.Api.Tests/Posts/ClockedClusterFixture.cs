using Pulse.Api.Tests.Infrastructure;

namespace Pulse.Api.Tests.Posts;

public sealed class ClockedClusterFixture : ClockedServerFixture
{
    protected override string RedisConfiguration => TestEnvironment.RedisCluster;
}
