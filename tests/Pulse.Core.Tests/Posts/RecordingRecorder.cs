using Pulse.Core.Tracking;

namespace Pulse.Core.Tests.Posts;

public sealed class RecordingRecorder : ITrackedEventRecorder
{
    public List<TrackedEvent> Events { get; } = [];

    public Task RecordAsync(IReadOnlyList<TrackedEvent> events, CancellationToken cancellationToken)
    {
        lock (Events)
        {
            Events.AddRange(events);
        }

        return Task.CompletedTask;
    }
}
