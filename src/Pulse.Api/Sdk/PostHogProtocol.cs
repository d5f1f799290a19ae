using System.Text.Json;
using Pulse.Core.Sdk;

namespace Pulse.Api.Sdk;

/// <summary>
/// Reads PostHog's capture API: one event, an array of events, or <c>{"api_key", "batch": [...], "sent_at",
/// "historical_migration"}</c>. Each event's name is stored as sent ($identify, $create_alias, $pageview, ...);
/// <c>$set</c> / <c>$set_once</c> (in its properties, or beside them) update the user's attributes; <c>$create_alias</c>'s
/// <c>alias</c> and <c>$identify</c>'s <c>$anon_distinct_id</c> are linked to the distinct id. Mapping: docs/sdk.md.
/// </summary>
internal static class PostHogProtocol
{
    public static SdkBatch Read(JsonElement root)
    {
        var batch = new SdkBatch();
        JsonElement items;
        DateTimeOffset? sentAt = null;
        if (root.ValueKind == JsonValueKind.Array)
        {
            items = root;
        }
        else if (root.ValueKind == JsonValueKind.Object && SdkJson.Get(root, "batch") is { } inner)
        {
            if (inner.ValueKind != JsonValueKind.Array)
            {
                throw new SdkRequestException("\"batch\" must be an array of events.");
            }

            items = inner;
            if (!SdkJson.TryTime(root, "sent_at", out sentAt))
            {
                throw new SdkRequestException("\"sent_at\" must be an ISO-8601 time.");
            }
        }
        else if (root.ValueKind == JsonValueKind.Object)
        {
            batch.Count = 1;
            Read(batch, 0, root, null, SdkJson.Without(root, "api_key", "token"));
            return batch;
        }
        else
        {
            throw new SdkRequestException("The body must be an event, an array of events, or {\"batch\": [...]}.");
        }

        batch.Count = items.GetArrayLength();
        if (batch.Count is 0 or > SdkLimits.MaxBatchMessages)
        {
            throw new SdkRequestException($"A batch holds 1 to {SdkLimits.MaxBatchMessages} events (got {batch.Count}).");
        }

        var index = 0;
        foreach (var item in items.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                batch.Rejected.Add(new RejectedMessage(index, null, "an event must be a JSON object"));
            }
            else
            {
                Read(batch, index, item, sentAt, PropertyFlattener.Compact(item));
            }

            index++;
        }

        return batch;
    }

    private static void Read(SdkBatch batch, int index, JsonElement item, DateTimeOffset? batchSentAt, string raw)
    {
        var uuid = SdkJson.String(item, "uuid");
        var properties = SdkJson.Object(item, "properties");
        var name = SdkJson.String(item, "event");
        var distinctId = SdkJson.Id(item, "distinct_id") ?? (properties is { } p ? SdkJson.Id(p, "distinct_id") : null);
        var reason = name is null ? "an event needs \"event\""
            : distinctId is null ? "an event needs \"distinct_id\""
            : !SdkJson.TryTime(item, "timestamp", out _) ? "\"timestamp\" must be an ISO-8601 time"
            : !SdkJson.TryTime(item, "sent_at", out _) ? "\"sent_at\" must be an ISO-8601 time"
            : null;
        if (reason is not null)
        {
            batch.Rejected.Add(new RejectedMessage(index, uuid, reason));
            return;
        }

        SdkJson.TryTime(item, "timestamp", out var timestamp);
        SdkJson.TryTime(item, "sent_at", out var sentAt);
        var set = SdkJson.ObjectText(Member(item, properties, "$set"));
        var setOnce = SdkJson.ObjectText(Member(item, properties, "$set_once"));
        var aliasOf = name switch
        {
            "$create_alias" when properties is { } ps => SdkJson.Id(ps, "alias"),
            "$identify" when properties is { } ps => SdkJson.Id(ps, "$anon_distinct_id"),
            _ => null,
        };
        var campaign = properties is { } withCampaign ? SdkJson.String(withCampaign, "campaignName") : null;
        batch.Add(index, new SdkMessage(
            uuid ?? SdkJson.NewMessageId(), name!, distinctId!, properties, null, set, setOnce, aliasOf, campaign, timestamp, sentAt ?? batchSentAt, raw));
    }

    private static JsonElement? Member(JsonElement item, JsonElement? properties, string name) =>
        (properties is { } p ? SdkJson.Object(p, name) : null) ?? SdkJson.Object(item, name);
}
