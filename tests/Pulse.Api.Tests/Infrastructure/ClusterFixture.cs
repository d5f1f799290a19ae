namespace Pulse.Api.Tests.Infrastructure;

public sealed class ClusterFixture : ServerFixture
{
    public override string Mode => "cluster";

    protected override string RedisConfiguration => TestEnvironment.RedisCluster;
}
