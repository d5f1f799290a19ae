using System.Runtime.CompilerServices;
using Pulse.Core.Tracking;

namespace Pulse.Core.Transfer;

/// <summary>A tracked event with its id, as the export writes it.</summary>
public sealed record ExportedTrackedEvent(long Id, TrackedEvent Event);

/// <summary>
/// Which tracked events to export: a type, a component, and a time range on <c>occurred_at</c> (from inclusive, to
/// exclusive); each null means any. <see cref="AfterId"/> and <see cref="Limit"/> make one keyset page.
/// </summary>
public sealed record TrackedExportQuery(TrackedEventType? Type, long? ComponentId, DateTimeOffset? From, DateTimeOffset? To)
{
    public long? AfterId { get; init; }

    public long UpToId { get; init; } = long.MaxValue;

    public int Limit { get; init; } = TrackedEventExport.PageSize;
}

/// <summary>The database side of the tracked-event export.</summary>
public interface ITrackedEventExportStore
{
    /// <summary>The highest tracked event id now (0 when there is none).</summary>
    Task<long> LastIdAsync(CancellationToken cancellationToken);

    /// <summary>One page in ascending id order: ids after <see cref="TrackedExportQuery.AfterId"/>, up to <see cref="TrackedExportQuery.UpToId"/>.</summary>
    Task<IReadOnlyList<ExportedTrackedEvent>> ReadPageAsync(TrackedExportQuery query, CancellationToken cancellationToken);
}

/// <summary>Every matching tracked event, in keyset pages by id, up to the last id when the export began.</summary>
public sealed class TrackedEventExport(ITrackedEventExportStore store)
{
    public const int PageSize = 5000;

    /// <summary>The matching tracked events in id order, in keyset pages (<see cref="KeysetPages"/>), up to the last id now.</summary>
    public async IAsyncEnumerable<ExportedTrackedEvent> ReadAsync(TrackedExportQuery filter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var query = filter with { AfterId = null, UpToId = await store.LastIdAsync(cancellationToken), Limit = PageSize };
        await foreach (var exported in KeysetPages.ReadAsync(after => store.ReadPageAsync(query with { AfterId = after }, cancellationToken), e => e.Id, PageSize))
        {
            yield return exported;
        }
    }
}
