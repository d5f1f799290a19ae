namespace Pulse.Core.Posts;

/// <summary>A post with its hashtags (normalised, in the order given) and its current number of likes.</summary>
public sealed record Post(
    long Id,
    long UserId,
    string Content,
    string? ImageUrls,
    IReadOnlyList<string> Hashtags,
    DateTimeOffset CreatedAt,
    long LikeCount);

/// <summary>A validated post, before the store gives it an id.</summary>
public sealed record NewPost(long UserId, string Content, string? ImageUrls, IReadOnlyList<string> Hashtags);

/// <summary>The state of one (user, post) like after a toggle.</summary>
public sealed record LikeToggle(long PostId, long UserId, bool Liked, long LikeCount);
