namespace Pulse.Core.Tracking;

/// <summary>Validates tracked events from the wire, stamps them with the server's time and records them.</summary>
public sealed class TrackingService(ITrackedEventRecorder recorder, TimeProvider time)
{
    public async Task<Outcome<TrackedEvent>> TrackAsync(TrackedEventInput input, CancellationToken cancellationToken)
    {
        var outcome = TrackedEventValidator.Validate(input, time.GetUtcNow());
        if (outcome.Kind == OutcomeKind.Ok)
        {
            await recorder.RecordAsync([outcome.Value!], cancellationToken);
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
                results[i] = new TrackedBatchItem(i, 400, "An event must be a JSON object.", null);
                continue;
            }

            var outcome = TrackedEventValidator.Validate(input, now);
            if (outcome.Kind == OutcomeKind.Ok)
            {
                accepted.Add(outcome.Value!);
                results[i] = new TrackedBatchItem(i, 201, "Event accepted", null);
            }
            else
            {
                results[i] = new TrackedBatchItem(i, 400, outcome.Message, outcome.Errors!.ToDictionary());
            }
        }

        await recorder.RecordAsync(accepted, cancellationToken);
        return results;
    }
}

/// <summary>One item's result in a batch: HTTP-like status and, for a rejected item, why.</summary>
public sealed record TrackedBatchItem(int Index, int Status, string? Message, Dictionary<string, string[]>? Errors);
