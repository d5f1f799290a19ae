using Pulse.Core.Tracking;

namespace Pulse.Core.Events;

/// <summary>
/// A batch's events counted per UTC minute of their own time (<see cref="EventWrite.Timestamp"/>), worked out before the
/// store takes its lock or opens its transaction; the store adds them to <c>event_minutes</c> in the transaction that
/// stores the events. Events the store turns out not to write (a duplicate SDK message or import key) are taken away
/// with <see cref="Remove"/>.
/// </summary>
public sealed class EventMinuteTally
{
    // A batch's events almost always fall into one or two minutes: a short list beats a dictionary.
    private readonly List<(DateTimeOffset Minute, long Count)> _minutes = new(2);

    public static EventMinuteTally Of(IEnumerable<EventWrite> events)
    {
        var tally = new EventMinuteTally();
        foreach (var write in events)
        {
            tally.Change(write.Timestamp, 1);
        }

        return tally;
    }

    /// <summary>One event fewer in the minute of <paramref name="time"/>.</summary>
    public void Remove(DateTimeOffset time) => Change(time, -1);

    /// <summary>The minutes with at least one event, in time order (so concurrent writers lock their rows in one order).</summary>
    public IReadOnlyList<(DateTimeOffset Minute, long Count)> Minutes =>
        [.. _minutes.Where(m => m.Count > 0).OrderBy(m => m.Minute)];

    private void Change(DateTimeOffset time, long delta)
    {
        var minute = CounterMinute.Floor(time);
        for (var i = 0; i < _minutes.Count; i++)
        {
            if (_minutes[i].Minute == minute)
            {
                _minutes[i] = (minute, _minutes[i].Count + delta);
                return;
            }
        }

        _minutes.Add((minute, delta));
    }
}
