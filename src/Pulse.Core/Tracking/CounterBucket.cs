namespace Pulse.Core.Tracking;

/// <summary>A counter bucket: one type's sorted set for one minute.</summary>
public readonly record struct CounterBucket(TrackedEventType Set, DateTimeOffset Minute);
