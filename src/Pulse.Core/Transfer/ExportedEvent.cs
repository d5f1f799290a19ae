namespace Pulse.Core.Transfer;

/// <summary>
/// A CRM event as the export writes it: its properties as stored (the JSON list, written out as an object), the
/// campaign it is linked to by name (ids differ between databases), and an SDK message's extra columns.
/// </summary>
public sealed record ExportedEvent(
    long Id,
    string Name,
    string ExternalId,
    string PropertiesJson,
    DateTimeOffset EventTime,
    DateTimeOffset ReceivedAt,
    string? Campaign,
    string? Message,
    DateTimeOffset? SentAt,
    bool TimeClamped);

/// <summary>What export stores share: naming each event's campaign from the links of the page's id range.</summary>
public static class ExportedPage
{
    /// <summary>
    /// The links of events <c>first..last</c> with the campaign's name, one statement: the export's second read per
    /// page. Plain SQL on campaign_events (indexed by event id since schema 700).
    /// </summary>
    public const string CampaignsSql =
        "SELECT ce.event_id, c.name FROM campaign_events ce JOIN campaigns c ON c.id = ce.campaign_id WHERE ce.event_id BETWEEN @first AND @last";

    /// <summary>Sets each linked event's campaign in <paramref name="page"/> (in id order), from (event id, name) pairs.</summary>
    public static void Link(List<ExportedEvent> page, IEnumerable<(long EventId, string Campaign)> links)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(links);
        foreach (var (eventId, campaign) in links)
        {
            var index = page.BinarySearch(new ExportedEvent(eventId, "", "", "", default, default, null, null, null, false), ById.Instance);
            if (index >= 0)
            {
                page[index] = page[index] with { Campaign = campaign };
            }
        }
    }

    private sealed class ById : IComparer<ExportedEvent>
    {
        public static readonly ById Instance = new();

        public int Compare(ExportedEvent? x, ExportedEvent? y) => x!.Id.CompareTo(y!.Id);
    }
}
