using Microsoft.Extensions.DependencyInjection;
using Pulse.Api.Tests.Infrastructure;
using Pulse.Core.Tracking;

namespace Pulse.Api.Tests.Tracking.Infrastructure;

/// <summary>
/// A hook between reading the live buckets and committing them, where tests inject a crash or a hang to prove that an
/// interrupted roll-up is neither lost nor repeated. It decorates the host's <see cref="IRollupStore"/>: the roll-up
/// reads the live buckets, then commits them through the store.
/// </summary>
public sealed class RollupFaults
{
    public Func<IReadOnlyList<BucketContents>, CancellationToken, Task>? Hook { get; set; }

    /// <summary>True when the pass is about to commit the bucket of <paramref name="set"/> at <paramref name="minute"/> holding <paramref name="componentId"/>.</summary>
    public static bool Holds(IReadOnlyList<BucketContents> buckets, TrackedEventType set, DateTimeOffset minute, long componentId) =>
        buckets.Any(b => b.Bucket.Set == set && b.Bucket.Minute == minute && b.Counts.Any(c => c.Member.ComponentId == componentId));

    /// <summary>Decorates the roll-up store where the host has one (server mode; embedded mode counts without a roll-up).</summary>
    public void Inject(IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(IRollupStore)))
        {
            services.Decorate<IRollupStore>((store, _) => new HookedRollupStore(store, this));
        }
    }

    private sealed class HookedRollupStore(IRollupStore inner, RollupFaults faults) : IRollupStore
    {
        public Task<IReadOnlyList<CounterBucket>> PendingAsync(MinuteWindow window, CancellationToken cancellationToken) =>
            inner.PendingAsync(window, cancellationToken);

        public async Task<int> CommitAsync(IReadOnlyList<BucketContents> buckets, CancellationToken cancellationToken)
        {
            if (faults.Hook is { } hook)
            {
                await hook(buckets, cancellationToken);
            }

            return await inner.CommitAsync(buckets, cancellationToken);
        }

        public Task PruneAsync(DateTimeOffset before, CancellationToken cancellationToken) => inner.PruneAsync(before, cancellationToken);
    }
}
