namespace Pulse.Core.Tracking;

/// <summary>
/// One change to one counter: <c>new = max(old + Add, Floor)</c>. An increment by n is <c>(n, 0)</c>; an UNLIKE's
/// decrement of the LIKE counter is <c>(-1, 0)</c>, which never goes below zero. Such clamped additions compose
/// (see <see cref="Then"/>), so any sequence of events on one counter folds into a single update that a store
/// applies atomically, with the same result as applying the events one by one in order.
/// </summary>
public readonly record struct CounterUpdate(TrackedEventType Set, DateTimeOffset Minute, CounterMember Member, long Add, long Floor)
{
    public long Apply(long current) => Math.Max(current + Add, Floor);

    /// <summary>
    /// This update followed by <c>max(v + add, floor)</c>: <c>max(max(v + a, b) + add, floor) = max(v + (a + add), max(b + add, floor))</c>.
    /// Counts are never negative, so a floor not above the addition never applies and is reset to 0: increments stay plain.
    /// </summary>
    public CounterUpdate Then(long add, long floor)
    {
        var sum = Add + add;
        var combined = Math.Max(Floor + add, floor);
        return this with { Add = sum, Floor = combined <= sum ? 0 : combined };
    }
}
