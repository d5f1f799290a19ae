namespace Pulse.Core.Tracking;

/// <summary>
/// Stores tracked events durably and counts them in their minute buckets. When the task completes the
/// events are committed and counted; when it faults, the caller must not acknowledge them.
/// </summary>
public interface ITrackedEventRecorder
{
    Task RecordAsync(IReadOnlyList<TrackedEvent> events, CancellationToken cancellationToken);
}
