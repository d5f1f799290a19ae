using Pulse.Core.Events;

namespace Pulse.Core.Transfer;

/// <summary>The database side of the CRM export: keyset pages of the search, and the CSV's columns.</summary>
public interface IEventExportStore
{
    /// <summary>The highest event id now (0 when there is none): the export's upper bound.</summary>
    Task<long> LastIdAsync(CancellationToken cancellationToken);

    /// <summary>
    /// One page of the search (ascending ids after <see cref="EventQuery.AfterId"/>, at most <see cref="EventQuery.Limit"/>)
    /// with each event's campaign, read for the page's id range in a second statement (one index range scan, instead of
    /// a probe per event: most events have no campaign).
    /// </summary>
    Task<IReadOnlyList<ExportedEvent>> ReadPageAsync(EventQuery query, CancellationToken cancellationToken);

    /// <summary>The distinct property keys of every matching event, in code-point order, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<string>> ReadKeysAsync(EventQuery query, int limit, CancellationToken cancellationToken);
}
