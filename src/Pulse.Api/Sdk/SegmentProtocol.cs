using System.Text.Json;
using System.Text.Json.Nodes;
using Pulse.Core;
using Pulse.Core.Sdk;

namespace Pulse.Api.Sdk;

/// <summary>
/// Reads Segment's HTTP Tracking API: a single message (<c>/v1/track</c>, ...) or <c>{"batch": [...], "context",
/// "sentAt"}</c> (<c>/v1/batch</c>, <c>/v1/import</c>). Names of the stored events: a track's <c>event</c>;
/// <c>Page Viewed</c> and <c>Screen Viewed</c> (the page's <c>name</c> and <c>category</c> become properties);
/// <c>identify</c>, <c>group</c> and <c>alias</c>. Mapping and examples: docs/sdk.md.
/// </summary>
internal static class SegmentProtocol
{
    public const string PageEvent = "Page Viewed";
    public const string ScreenEvent = "Screen Viewed";

    private static readonly string[] Types = ["identify", "track", "page", "screen", "group", "alias"];

    /// <param name="type">The endpoint's type for a single message; null for a batch.</param>
    public static SdkBatch Read(JsonElement root, string? type)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new SdkRequestException("The body must be a JSON object.");
        }

        var batch = new SdkBatch();
        if (type is not null)
        {
            batch.Count = 1;
            Read(batch, 0, root, type, batchContext: null, batchSentAt: null, SdkJson.Without(root, "writeKey"));
            return batch;
        }

        if (SdkJson.Get(root, "batch") is not { ValueKind: JsonValueKind.Array } items)
        {
            throw new SdkRequestException("The body must hold \"batch\": an array of messages.");
        }

        batch.Count = items.GetArrayLength();
        if (batch.Count is 0 or > SdkLimits.MaxBatchMessages)
        {
            throw new SdkRequestException($"A batch holds 1 to {SdkLimits.MaxBatchMessages} messages (got {batch.Count}).");
        }

        if (!SdkJson.TryTime(root, "sentAt", out var sentAt))
        {
            throw new SdkRequestException("\"sentAt\" must be an ISO-8601 time.");
        }

        var context = SdkJson.Object(root, "context");
        var integrations = SdkJson.Object(root, "integrations");
        var index = 0;
        foreach (var item in items.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                batch.Rejected.Add(new RejectedMessage(index, null, "a message must be a JSON object"));
            }
            else if (SdkJson.String(item, "type") is not { } itemType || !Types.Contains(itemType))
            {
                batch.Rejected.Add(new RejectedMessage(index, SdkJson.String(item, "messageId"), "\"type\" must be one of " + string.Join(", ", Types)));
            }
            else
            {
                Read(batch, index, item, itemType, context, sentAt, WithBatchMembers(item, context, integrations));
            }

            index++;
        }

        return batch;
    }

    private static void Read(SdkBatch batch, int index, JsonElement message, string type, JsonElement? batchContext, DateTimeOffset? batchSentAt, string raw)
    {
        var messageId = SdkJson.String(message, "messageId");
        string? Reject(string reason)
        {
            batch.Rejected.Add(new RejectedMessage(index, messageId, reason));
            return null;
        }

        var userId = SdkJson.Id(message, "userId");
        var anonymousId = SdkJson.Id(message, "anonymousId");
        if ((userId ?? anonymousId) is not { } externalId)
        {
            Reject("no_user_anon_id: a message needs \"userId\" or \"anonymousId\"");
            return;
        }

        if (!SdkJson.TryTime(message, "timestamp", out var timestamp) || !SdkJson.TryTime(message, "originalTimestamp", out var original))
        {
            Reject("\"timestamp\" must be an ISO-8601 time");
            return;
        }

        if (!SdkJson.TryTime(message, "sentAt", out var sentAt))
        {
            Reject("\"sentAt\" must be an ISO-8601 time");
            return;
        }

        var properties = SdkJson.Object(message, "properties");
        var traits = SdkJson.Object(message, "traits");
        string? eventName;
        JsonElement? indexed = properties;
        List<Property>? extra = null;
        string? set = null;
        string? aliasOf = null;
        switch (type)
        {
            case "track":
                eventName = SdkJson.String(message, "event") ?? Reject("a track needs \"event\"");
                break;
            case "page" or "screen":
                eventName = type == "page" ? PageEvent : ScreenEvent;
                extra = [];
                foreach (var field in (ReadOnlySpan<string>)["name", "category"])
                {
                    if (SdkJson.String(message, field) is { } value && (properties is null || SdkJson.Get(properties.Value, field) is null))
                    {
                        extra.Add(new Property(field, value));
                    }
                }

                break;
            case "identify":
                eventName = "identify";
                indexed = traits;
                set = SdkJson.ObjectText(traits);
                aliasOf = userId is not null ? anonymousId : null; // identify ties the anonymous id to the user
                break;
            case "group":
                eventName = "group";
                indexed = traits;
                extra = SdkJson.Id(message, "groupId") is { } groupId ? [new Property("groupId", groupId)] : null;
                if (extra is null)
                {
                    Reject("a group needs \"groupId\"");
                    return;
                }

                break;
            default: // alias
                eventName = "alias";
                aliasOf = SdkJson.Id(message, "previousId") ?? Reject("an alias needs \"previousId\"");
                if (aliasOf is null)
                {
                    return;
                }

                break;
        }

        if (eventName is null)
        {
            return;
        }

        var campaign = (properties is { } p ? SdkJson.String(p, "campaignName") : null)
            ?? CampaignName(SdkJson.Object(message, "context"))
            ?? CampaignName(batchContext);
        batch.Add(index, new SdkMessage(
            messageId ?? SdkJson.NewMessageId(), eventName, externalId, indexed, extra, set, null, aliasOf, campaign,
            timestamp ?? original, sentAt ?? batchSentAt, raw));
    }

    /// <summary>
    /// The item as stored: the batch's <c>context</c> and <c>integrations</c> merged into it, as Segment's HTTP API does
    /// (top-level keys; the item's own win).
    /// </summary>
    private static string WithBatchMembers(JsonElement item, JsonElement? context, JsonElement? integrations)
    {
        if (context is null && integrations is null)
        {
            return PropertyFlattener.Compact(item);
        }

        var merged = JsonObject.Create(item)!.DeepClone().AsObject();
        foreach (var (name, shared) in (ReadOnlySpan<(string, JsonElement?)>)[("context", context), ("integrations", integrations)])
        {
            if (shared is not { } value)
            {
                continue;
            }

            if (merged[name] is not JsonObject target)
            {
                target = [];
                merged[name] = target;
            }

            foreach (var member in value.EnumerateObject())
            {
                if (!target.ContainsKey(member.Name))
                {
                    target[member.Name] = JsonNode.Parse(member.Value.GetRawText());
                }
            }
        }

        return merged.ToJsonString();
    }

    private static string? CampaignName(JsonElement? context) =>
        context is { } c && SdkJson.Object(c, "campaign") is { } campaign ? SdkJson.String(campaign, "name") : null;
}
