using Pulse.Core.Events;

namespace Pulse.Core.Sdk;

/// <summary>
/// One SDK message ready to store: its event (every message is one), and what it changes beside it. Stored only if
/// <see cref="MessageId"/> was not stored before (within the dedupe window), in the same transaction as the rest.
/// </summary>
/// <param name="Message">The message as sent (JSON), returned by searches.</param>
/// <param name="SentAt">The client's clock when it sent the message, if it said.</param>
/// <param name="TimeClamped">The message's time was more than a day ahead of Pulse's clock, so the event time is the receive time.</param>
/// <param name="SetAttributes">A JSON object merged into the user's attributes (its values win).</param>
/// <param name="SetOnceAttributes">A JSON object merged into the user's attributes where they lack a key.</param>
/// <param name="AliasUserId">A user (an anonymous id) whose events now belong to <see cref="EventWrite.UserId"/> as well.</param>
public sealed record SdkWrite(
    string MessageId,
    EventWrite Event,
    string Message,
    DateTimeOffset? SentAt,
    bool TimeClamped,
    string? SetAttributes,
    string? SetOnceAttributes,
    long? AliasUserId);
