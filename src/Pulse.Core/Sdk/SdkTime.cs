namespace Pulse.Core.Sdk;

/// <summary>An SDK message's event time, corrected for the client's clock as Segment and PostHog do.</summary>
public static class SdkTime
{
    /// <summary>How far ahead of Pulse's clock an event time may be before it is taken as wrong.</summary>
    public static readonly TimeSpan MaxFuture = TimeSpan.FromDays(1);

    /// <summary>
    /// receivedAt − (sentAt − timestamp) when both are given (the client's clock may be off, but the time between
    /// the event and sending it is right), else the timestamp, else receivedAt. A result more than
    /// <see cref="MaxFuture"/> ahead of receivedAt is clamped to receivedAt and marked.
    /// </summary>
    public static (DateTimeOffset Time, bool Clamped) EventTime(DateTimeOffset receivedAt, DateTimeOffset? timestamp, DateTimeOffset? sentAt)
    {
        var time = (timestamp, sentAt) switch
        {
            ({ } t, { } s) => receivedAt - (s - t),
            ({ } t, null) => t,
            _ => receivedAt,
        };
        return time - receivedAt > MaxFuture ? (receivedAt, true) : (time, false);
    }
}
