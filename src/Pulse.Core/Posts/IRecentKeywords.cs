namespace Pulse.Core.Posts;

/// <summary>
/// Each user's recent search keywords: most recent first, no duplicates, at most <see cref="RecentKeywordsPolicy.MaxCount"/>,
/// forgotten <see cref="RecentKeywordsPolicy.IdleExpiry"/> after the last push. Implementations never throw because their
/// backend is down: a push is then skipped and a read answers an empty list.
/// </summary>
public interface IRecentKeywords
{
    ValueTask PushAsync(long userId, string keyword, CancellationToken cancellationToken);

    ValueTask<IReadOnlyList<string>> GetAsync(long userId, CancellationToken cancellationToken);

    /// <summary>Forgets the user's list (an erasure); returns how many keywords it held.</summary>
    ValueTask<long> RemoveAsync(long userId, CancellationToken cancellationToken);
}

public static class RecentKeywordsPolicy
{
    public const int MaxCount = 10;

    public static readonly TimeSpan IdleExpiry = TimeSpan.FromHours(1);
}
