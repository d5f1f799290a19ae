namespace Pulse.Core.Posts;

/// <summary>A like toggle as it arrives on the wire.</summary>
public sealed record LikeInput(long? PostId, long? UserId);
