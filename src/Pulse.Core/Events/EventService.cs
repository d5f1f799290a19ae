using Pulse.Core.Campaigns;
using Pulse.Core.Lifecycle;
using Pulse.Core.Users;
using Pulse.Core.Validation;

namespace Pulse.Core.Events;

/// <summary>Validates events, resolves their user and campaign (from cache), decides the link, and writes.</summary>
public sealed class EventService(UserService users, CampaignService campaigns, IEventWriter writer, IEventStore store, Suppressions suppressions, TimeProvider time)
{
    public async Task<Outcome<EventSaved>> SaveAsync(EventInput input, CancellationToken cancellationToken)
    {
        var prepared = await PrepareAsync(input, cancellationToken);
        if (!prepared.IsOk)
        {
            return prepared.Fail<EventSaved>();
        }

        var (write, outcome) = prepared.Value;
        var ids = await writer.WriteAsync([write], cancellationToken);
        return Outcome<EventSaved>.Ok(new EventSaved(ids[0], outcome.ToMessage()));
    }

    /// <summary>
    /// Saves every valid item of the batch in one write; invalid items and unknown users are reported
    /// per item and do not stop the others.
    /// </summary>
    public async Task<IReadOnlyList<EventBatchItem>> SaveBatchAsync(IReadOnlyList<EventInput?> inputs, CancellationToken cancellationToken)
    {
        var results = new EventBatchItem[inputs.Count];
        var writes = new List<EventWrite>(inputs.Count);
        var pending = new List<(int Index, EventSaveOutcome Outcome)>(inputs.Count);
        for (var i = 0; i < inputs.Count; i++)
        {
            if (inputs[i] is not { } input)
            {
                results[i] = new EventBatchItem(i, OutcomeKind.Invalid, null, "An event must be a JSON object.", null);
                continue;
            }

            var prepared = await PrepareAsync(input, cancellationToken);
            if (prepared.IsOk)
            {
                writes.Add(prepared.Value.Write);
                pending.Add((i, prepared.Value.Outcome));
            }
            else
            {
                results[i] = new EventBatchItem(i, prepared.Kind, null, prepared.Message, prepared.Errors?.ToDictionary());
            }
        }

        if (writes.Count > 0)
        {
            var ids = await writer.WriteAsync(writes, cancellationToken);
            for (var j = 0; j < pending.Count; j++)
            {
                results[pending[j].Index] = new EventBatchItem(pending[j].Index, OutcomeKind.Ok, ids[j], pending[j].Outcome.ToMessage(), null);
            }
        }

        return results;
    }

    public Task<IReadOnlyList<StoredEvent>> SearchAsync(EventQuery query, CancellationToken cancellationToken) =>
        store.SearchAsync(query, cancellationToken);

    private async Task<Outcome<PreparedEvent>> PrepareAsync(EventInput input, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        Rules.RequiredText(errors, "name", input.Name, Limits.MaxNameLength);
        Rules.RequiredText(errors, "externalId", input.ExternalId, Limits.MaxExternalIdLength);
        if (input.CampaignName is { Length: > 0 } campaignName)
        {
            Rules.RequiredText(errors, "campaignName", campaignName, Limits.MaxNameLength);
        }

        Rules.Properties(errors, "properties", input.Properties, required: false);
        if (!errors.IsEmpty)
        {
            return Outcome<PreparedEvent>.Invalid(errors);
        }

        if (suppressions.IsSuppressed(input.ExternalId))
        {
            return Outcome<PreparedEvent>.Suppressed(SuppressionMessages.ForExternalId(input.ExternalId!));
        }

        var user = await users.FindByExternalIdAsync(input.ExternalId!, cancellationToken);
        if (user is null)
        {
            return Outcome<PreparedEvent>.NotFound($"No user has externalId '{input.ExternalId}'.");
        }

        var properties = Rules.ToProperties(input.Properties);
        var outcome = EventSaveOutcome.Saved;
        long? campaignId = null;
        if (!string.IsNullOrEmpty(input.CampaignName))
        {
            var campaign = await campaigns.FindByNameAsync(input.CampaignName, cancellationToken);
            if (campaign is null)
            {
                outcome = EventSaveOutcome.SavedNotInCampaign;
            }
            else if (campaign.HasSameKeysAs(properties))
            {
                outcome = EventSaveOutcome.SavedWithCampaign;
                campaignId = campaign.Id;
            }
            else
            {
                outcome = EventSaveOutcome.PropertiesMismatch;
            }
        }

        var write = new EventWrite(input.Name!, user.Id, user.ExternalId, properties, campaignId, time.GetUtcNow());
        return Outcome<PreparedEvent>.Ok(new PreparedEvent(write, outcome));
    }

    private sealed record PreparedEvent(EventWrite Write, EventSaveOutcome Outcome);
}
