using Pulse.Core.Tracking;

namespace Pulse.Api.Tests.Tracking.Infrastructure;

/// <summary>The roll-up's fault seam for tests: a hook that runs after the live buckets were read and before the commit.</summary>
public sealed class TestRollupFaults : IRollupFaults
{
    public Func<IReadOnlyList<BucketContents>, CancellationToken, Task>? Hook { get; set; }

    public async ValueTask BeforeCommitAsync(IReadOnlyList<BucketContents> buckets, CancellationToken cancellationToken)
    {
        if (Hook is { } hook)
        {
            await hook(buckets, cancellationToken);
        }
    }

    /// <summary>True when the pass is about to commit the bucket of <paramref name="set"/> at <paramref name="minute"/> holding <paramref name="componentId"/>.</summary>
    public static bool Holds(IReadOnlyList<BucketContents> buckets, TrackedEventType set, DateTimeOffset minute, long componentId) =>
        buckets.Any(b => b.Bucket.Set == set && b.Bucket.Minute == minute && b.Counts.Any(c => c.Member.ComponentId == componentId));
}
