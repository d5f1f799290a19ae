namespace Pulse.Core.Tracking;

/// <summary>
/// Turns events into counter updates. Every event increments its own type's counter for its minute and member.
/// An UNLIKE also decrements the LIKE counter of the same minute and member, never below zero, so the LIKE
/// counter is the net number of likes; the UNLIKE counter keeps the gross number of unlikes.
/// </summary>
public static class CounterPlan
{
    /// <summary>One update per distinct counter, in order of first appearance, each folding all its events in order.</summary>
    public static IReadOnlyList<CounterUpdate> For(IReadOnlyList<TrackedEvent> events)
    {
        var index = new Dictionary<(TrackedEventType, DateTimeOffset, CounterMember), int>(events.Count);
        var updates = new List<CounterUpdate>(events.Count);
        foreach (var tracked in events)
        {
            var minute = CounterMinute.Floor(tracked.OccurredAt);
            var member = CounterMember.For(tracked);
            Add(updates, index, tracked.Type, minute, member, add: 1);
            if (tracked.Type == TrackedEventType.Unlike)
            {
                Add(updates, index, TrackedEventType.Like, minute, member, add: -1);
            }
        }

        return updates;
    }

    private static void Add(
        List<CounterUpdate> updates,
        Dictionary<(TrackedEventType, DateTimeOffset, CounterMember), int> index,
        TrackedEventType set,
        DateTimeOffset minute,
        CounterMember member,
        long add)
    {
        if (index.TryGetValue((set, minute, member), out var at))
        {
            updates[at] = updates[at].Then(add, 0);
        }
        else
        {
            index[(set, minute, member)] = updates.Count;
            updates.Add(new CounterUpdate(set, minute, member, add, 0));
        }
    }
}
