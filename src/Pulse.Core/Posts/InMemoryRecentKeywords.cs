namespace Pulse.Core.Posts;

/// <summary>Embedded mode's recent keywords, with the same semantics as the Redis list (expiry by <see cref="TimeProvider"/>).</summary>
public sealed class InMemoryRecentKeywords(TimeProvider time, int capacity = 100_000) : IRecentKeywords
{
    private readonly Dictionary<long, Recent> _users = [];
    private readonly Lock _lock = new();

    public ValueTask PushAsync(long userId, string keyword, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (!_users.TryGetValue(userId, out var recent) || recent.ExpiresAt <= now)
            {
                MakeRoom(now);
                recent = new Recent();
                _users[userId] = recent;
            }

            recent.Keywords.Remove(keyword);
            recent.Keywords.Insert(0, keyword);
            if (recent.Keywords.Count > RecentKeywordsPolicy.MaxCount)
            {
                recent.Keywords.RemoveRange(RecentKeywordsPolicy.MaxCount, recent.Keywords.Count - RecentKeywordsPolicy.MaxCount);
            }

            recent.ExpiresAt = now + RecentKeywordsPolicy.IdleExpiry;
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<string>> GetAsync(long userId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            IReadOnlyList<string> keywords = _users.TryGetValue(userId, out var recent) && recent.ExpiresAt > now ? [.. recent.Keywords] : [];
            return ValueTask.FromResult(keywords);
        }
    }

    public ValueTask<long> RemoveAsync(long userId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            long removed = _users.Remove(userId, out var recent) && recent.ExpiresAt > now ? recent.Keywords.Count : 0;
            return ValueTask.FromResult(removed);
        }
    }

    private void MakeRoom(DateTimeOffset now)
    {
        if (_users.Count < capacity)
        {
            return;
        }

        foreach (var (userId, recent) in _users)
        {
            if (recent.ExpiresAt <= now)
            {
                _users.Remove(userId);
            }
        }

        // Still full of live lists: forgetting them all is cheap and keeps memory bounded.
        if (_users.Count >= capacity)
        {
            _users.Clear();
        }
    }

    private sealed class Recent
    {
        public List<string> Keywords { get; } = new(RecentKeywordsPolicy.MaxCount + 1);

        public DateTimeOffset ExpiresAt { get; set; }
    }
}
