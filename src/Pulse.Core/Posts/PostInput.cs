namespace Pulse.Core.Posts;

/// <summary>A post as it arrives on the wire, before validation (fields may be missing).</summary>
public sealed record PostInput(long? UserId, string? Content, string? ImageUrls, IReadOnlyList<string?>? Hashtags);
