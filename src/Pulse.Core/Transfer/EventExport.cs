using System.Runtime.CompilerServices;
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

    /// <summary>
    /// The pages in id order. The next page is asked for as soon as a page has arrived, before its rows are handed on,
    /// so the database reads page n + 1 while the caller writes page n: at most two pages are in memory.
    /// </summary>
    public async IAsyncEnumerable<ExportedEvent> ReadAsync(EventQuery filter, long upToId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var query = filter with { AfterId = null, UpToId = upToId, Limit = PageSize, Descending = false };
        var next = store.ReadPageAsync(query, cancellationToken);
        while (next is not null)
        {
            var page = await next;
            next = page.Count < PageSize ? null : store.ReadPageAsync(query with { AfterId = page[^1].Id }, cancellationToken);
            foreach (var exported in page)
            {
                yield return exported;
            }
        }
    }
}
