namespace Pulse.Core.Tracking;

/// <summary>One member's count in a bucket.</summary>
public readonly record struct MemberCount(CounterMember Member, long Count);
