namespace Pulse.Core.Campaigns;

/// <summary>A marketing campaign: a name and the property set that events must match to be linked to it.</summary>
public sealed record Campaign(long Id, string Name, IReadOnlyList<Property> Properties, DateTimeOffset CreatedAt)
{
    /// <summary>True when <paramref name="eventProperties"/> has exactly this campaign's keys (any order).</summary>
    public bool HasSameKeysAs(IReadOnlyList<Property> eventProperties)
    {
        if (eventProperties.Count != Properties.Count)
        {
            return false;
        }

        // Keys are unique on both sides (validated on input), so equal size + containment is set equality.
        // Indexed loops: foreach over an IReadOnlyList boxes an enumerator, and this runs for every event.
        for (var i = 0; i < eventProperties.Count; i++)
        {
            if (!ContainsKey(eventProperties[i].Key))
            {
                return false;
            }
        }

        return true;
    }

    private bool ContainsKey(string key)
    {
        for (var i = 0; i < Properties.Count; i++)
        {
            if (string.Equals(Properties[i].Key, key, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>A campaign with the number of events linked to it.</summary>
public sealed record CampaignDetails(Campaign Campaign, long LinkedEventCount);
