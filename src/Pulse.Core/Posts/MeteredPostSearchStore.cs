using System.Diagnostics.Metrics;

namespace Pulse.Core.Posts;

/// <summary>
/// Counts the hashtag queries that reach the database (metric <c>pulse.search.database_queries</c>), which is what
/// the search cache exists to keep low; tests read <see cref="Queries"/> to prove a stampede made exactly one.
/// </summary>
public sealed class CountingPostSearchStore(IPostSearchStore inner) : IPostSearchStore
{
    private static readonly Meter Meter = new("Pulse.Posts");
    private static readonly Counter<long> DatabaseQueries = Meter.CreateCounter<long>(
        "pulse.search.database_queries", description: "Hashtag searches answered by the database instead of the cache");

    private long _queries;

    public long Queries => Interlocked.Read(ref _queries);

    public Task<IReadOnlyList<Post>> SearchByHashtagAsync(string hashtag, int limit, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _queries);
        DatabaseQueries.Add(1);
        return inner.SearchByHashtagAsync(hashtag, limit, cancellationToken);
    }
}
