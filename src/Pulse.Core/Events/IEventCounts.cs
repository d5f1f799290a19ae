using Pulse.Core.Tracking;

namespace Pulse.Core.Events;

/// <summary>How many CRM events (including the SDKs' messages) were stored per minute of their own time.</summary>
public interface IEventCounts
{
    /// <summary>The number of events whose time falls in each minute of <paramref name="window"/>, oldest first.</summary>
    Task<IReadOnlyList<long>> PerMinuteAsync(MinuteWindow window, CancellationToken cancellationToken);
}
