namespace Pulse.Core.Events;

/// <summary>How a saved event relates to the campaign it named (SPEC §3, the four messages).</summary>
public enum EventSaveOutcome
{
    Saved,
    SavedWithCampaign,
    SavedNotInCampaign,
    PropertiesMismatch,
}

public static class EventSaveOutcomeMessages
{
    public static string ToMessage(this EventSaveOutcome outcome) => outcome switch
    {
        EventSaveOutcome.Saved => "Event saved successfully",
        EventSaveOutcome.SavedWithCampaign => "Event saved with campaign",
        EventSaveOutcome.SavedNotInCampaign => "Event saved but not in campaign",
        EventSaveOutcome.PropertiesMismatch => "Campaign properties and Event properties mismatch",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome)),
    };
}
