namespace Pulse.Core.Posts;

/// <summary>Posts and likes, durably stored.</summary>
public interface IPostStore
{
    Task<Post> CreateAsync(NewPost post, DateTimeOffset now, CancellationToken cancellationToken);

    Task<Post?> FindAsync(long postId, CancellationToken cancellationToken);

    /// <summary>
    /// Inserts the (user, post) like when absent, deletes it when present, and updates the post's like count, in one
    /// transaction; concurrent toggles of one pair take turns. Null when the post does not exist.
    /// </summary>
    Task<LikeToggle?> ToggleLikeAsync(long postId, long userId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Posts with at least one like, most liked first, ties newest first. With <paramref name="since"/> only likes
    /// made at or after it count, and <see cref="Post.LikeCount"/> is that count.
    /// </summary>
    Task<IReadOnlyList<Post>> PopularAsync(int limit, DateTimeOffset? since, CancellationToken cancellationToken);
}

/// <summary>The hashtag search query: the only query the search cache protects.</summary>
public interface IPostSearchStore
{
    /// <summary>Posts tagged exactly <paramref name="hashtag"/>, most liked first, ties newest first.</summary>
    Task<IReadOnlyList<Post>> SearchByHashtagAsync(string hashtag, int limit, CancellationToken cancellationToken);
}
