namespace Pulse.Core;

/// <summary>A key/value pair attached to an event or a campaign. Values are always strings on the wire.</summary>
public sealed record Property(string Key, string Value);
