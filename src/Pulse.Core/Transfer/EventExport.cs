using Pulse.Core.Events;

namespace Pulse.Core.Transfer;

/// <summary>
/// Reads every event a search matches, page by page in id order (keyset: each page starts after the last id of the
/// previous one), up to the highest id that existed when the export began, so an export under live ingestion ends.
/// Memory holds one page, whatever the export's size.
/// </summary>
public sealed class EventExport(IEventExportStore store)
{
    /// <summary>Events per page: one statement each. Measured on PostgreSQL (docs/lifecycle.md): larger pages gain nothing.</summary>
    public const int PageSize = 5000;

    /// <summary>Property columns a CSV export may have; more is a 400 (use NDJSON, or narrow the export).</summary>
    public const int MaxCsvColumns = 2000;

    public Task<long> LastIdAsync(CancellationToken cancellationToken) => store.LastIdAsync(cancellationToken);

    public Task<IReadOnlyList<string>> KeysAsync(EventQuery filter, long upToId, CancellationToken cancellationToken) =>
        store.ReadKeysAsync(filter with { UpToId = upToId }, MaxCsvColumns + 1, cancellationToken);

    /// <summary>The matching events in id order, in keyset pages (<see cref="KeysetPages"/>).</summary>
    public IAsyncEnumerable<ExportedEvent> ReadAsync(EventQuery filter, long upToId, CancellationToken cancellationToken)
    {
        var query = filter with { AfterId = null, UpToId = upToId, Limit = PageSize, Descending = false };
        return KeysetPages.ReadAsync(after => store.ReadPageAsync(query with { AfterId = after }, cancellationToken), e => e.Id, PageSize);
    }
}
