using Pulse.Core.Campaigns;
using Pulse.Core.Events;
using Pulse.Core.Lifecycle;
using Pulse.Core.Users;

namespace Pulse.Core.Sdk;

/// <summary>
/// Stores SDK messages: resolves (or creates) their users, flattens their properties, works out their event time and
/// campaign, and writes them through the SDK queue, deduplicated by message id.
/// </summary>
public sealed class SdkService(UserService users, CampaignService campaigns, SdkWriter writer, Suppressions suppressions)
{
    /// <summary>Why a message cannot be stored, or null when it can (the checks both protocols share).</summary>
    public static string? Problem(SdkMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.MessageId.Length is 0 or > SdkLimits.MaxMessageIdLength)
        {
            return $"the message id must be 1 to {SdkLimits.MaxMessageIdLength} characters";
        }

        if (string.IsNullOrWhiteSpace(message.EventName) || message.EventName.Length > Limits.MaxNameLength)
        {
            return $"the event name must be 1 to {Limits.MaxNameLength} characters";
        }

        if (string.IsNullOrWhiteSpace(message.ExternalId) || message.ExternalId.Length > Limits.MaxExternalIdLength)
        {
            return $"the user id must be 1 to {Limits.MaxExternalIdLength} characters";
        }

        if (message.AliasOf is { } alias && (string.IsNullOrWhiteSpace(alias) || alias.Length > Limits.MaxExternalIdLength))
        {
            return $"the aliased id must be 1 to {Limits.MaxExternalIdLength} characters";
        }

        if (System.Text.Encoding.UTF8.GetByteCount(message.Raw) > SdkLimits.MaxMessageBytes)
        {
            return $"the message is larger than {SdkLimits.MaxMessageBytes / 1024} KiB";
        }

        return null;
    }

    /// <summary>Why a message is refused because it names an erased and suppressed user (its own or the aliased id), or null.</summary>
    public string? Suppressed(SdkMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return suppressions.IsSuppressed(message.ExternalId) ? "suppressed: " + SuppressionMessages.ForExternalId(message.ExternalId).TrimEnd('.')
            : suppressions.IsSuppressed(message.AliasOf) ? "suppressed: " + SuppressionMessages.ForExternalId(message.AliasOf!).TrimEnd('.')
            : null;
    }

    /// <summary>
    /// Stores every message (each must have passed <see cref="Problem"/>) in one write; returns each one's event id,
    /// or null when its id had been stored before. Completion means committed.
    /// </summary>
    public async Task<IReadOnlyList<long?>> IngestAsync(IReadOnlyList<SdkMessage> messages, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        var writes = new SdkWrite[messages.Count];
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            var user = await users.FindOrCreateAsync(message.ExternalId, receivedAt, cancellationToken);
            long? alias = null;
            if (message.AliasOf is { } aliasOf && !string.Equals(aliasOf, message.ExternalId, StringComparison.Ordinal))
            {
                alias = (await users.FindOrCreateAsync(aliasOf, receivedAt, cancellationToken)).Id;
            }

            var properties = PropertyFlattener.Flatten(message.Properties, message.ExtraProperties);
            var campaignId = await CampaignOfAsync(message.CampaignName, properties, cancellationToken);
            var (time, clamped) = SdkTime.EventTime(receivedAt, message.Timestamp, message.SentAt);
            var write = new EventWrite(message.EventName, user.Id, user.ExternalId, properties, campaignId, receivedAt) { Timestamp = time };
            writes[i] = new SdkWrite(message.MessageId, write, message.Raw, message.SentAt, clamped, message.SetAttributes, message.SetOnceAttributes, alias);
        }

        var ids = await writer.WriteAsync(writes);
        for (var i = 0; i < messages.Count; i++)
        {
            if (ids[i] is not null && (messages[i].SetAttributes is not null || messages[i].SetOnceAttributes is not null))
            {
                await users.ForgetAsync(messages[i].ExternalId, cancellationToken);
            }
        }

        return ids;
    }

    /// <summary>
    /// The campaign the message names, when it exists and every one of its keys is among the event's properties. Unlike
    /// the CRM API's rule (the same key set), extra keys are allowed: SDKs add their own properties ($lib, ...) and
    /// the campaign's name travels as a property itself.
    /// </summary>
    private async ValueTask<long?> CampaignOfAsync(string? name, List<Property> properties, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(name) || name.Length > Limits.MaxNameLength || await campaigns.FindByNameAsync(name, cancellationToken) is not { } campaign)
        {
            return null;
        }

        foreach (var key in campaign.Properties)
        {
            if (!properties.Exists(p => string.Equals(p.Key, key.Key, StringComparison.Ordinal)))
            {
                return null;
            }
        }

        return campaign.Id;
    }
}
