using Pulse.Core.Lifecycle;

namespace Pulse.Core.Tracking;

/// <summary>Validates tracked events from the wire, stamps them with the server's time and records them.</summary>
public sealed class TrackingService(ITrackedEventRecorder recorder, Suppressions suppressions, TimeProvider time)
{
    public async Task<Outcome<TrackedEvent>> TrackAsync(TrackedEventInput input, CancellationToken cancellationToken)
    {
        var outcome = Refuse(TrackedEventValidator.Validate(input, time.GetUtcNow()));
        if (outcome.IsOk)
        {
            await recorder.RecordAsync([outcome.Value], cancellationToken);
        }

        return outcome;
    }

    /// <summary>Records every valid item in one write; invalid items are reported per item and do not stop the others.</summary>
    public async Task<IReadOnlyList<TrackedBatchItem>> TrackBatchAsync(IReadOnlyList<TrackedEventInput?> inputs, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var results = new TrackedBatchItem[inputs.Count];
        var accepted = new List<TrackedEvent>(inputs.Count);
        for (var i = 0; i < inputs.Count; i++)
        {
            if (inputs[i] is not { } input)
            {
                results[i] = new TrackedBatchItem(i, OutcomeKind.Invalid, "An event must be a JSON object.", null);
                continue;
            }

            var outcome = Refuse(TrackedEventValidator.Validate(input, now));
            if (outcome.IsOk)
            {
                accepted.Add(outcome.Value);
                results[i] = new TrackedBatchItem(i, OutcomeKind.Ok, "Event accepted", null);
            }
            else
            {
                results[i] = new TrackedBatchItem(i, outcome.Kind, outcome.Message, outcome.Errors?.ToDictionary());
            }
        }

        await recorder.RecordAsync(accepted, cancellationToken);
        return results;
    }

    /// <summary>A valid event of an erased and suppressed user's id is refused.</summary>
    private Outcome<TrackedEvent> Refuse(Outcome<TrackedEvent> outcome) =>
        outcome.IsOk && suppressions.IsSuppressed(outcome.Value.UserId)
            ? Outcome<TrackedEvent>.Suppressed(SuppressionMessages.ForUserId(outcome.Value.UserId!.Value))
            : outcome;
}
