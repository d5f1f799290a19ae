using Pulse.Api.Tests.Infrastructure;

namespace Pulse.Api.Tests.Tracking.Infrastructure;

/// <summary>PostgreSQL and the 3-master Redis Cluster.</summary>
public sealed class TrackingClusterFixture : TrackingServerFixture
{
    public override string Mode => "cluster";

    protected override string RedisConfiguration => TestEnvironment.RedisCluster;
}
