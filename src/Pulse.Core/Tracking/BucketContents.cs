namespace Pulse.Core.Tracking;

/// <summary>A closed bucket and everything it counted, ready to be rolled up.</summary>
public sealed record BucketContents(CounterBucket Bucket, IReadOnlyList<MemberCount> Counts);
