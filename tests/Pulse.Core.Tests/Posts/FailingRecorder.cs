using Pulse.Core.Tracking;

namespace Pulse.Core.Tests.Posts;

public sealed class FailingRecorder : ITrackedEventRecorder
{
    public Task RecordAsync(IReadOnlyList<TrackedEvent> events, CancellationToken cancellationToken) =>
        Task.FromException(new InvalidOperationException("the event store is down"));
}
