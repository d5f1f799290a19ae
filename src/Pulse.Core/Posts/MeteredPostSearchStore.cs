using System.Diagnostics.Metrics;

namespace Pulse.Core.Posts;

/// <summary>
/// Counts the hashtag queries that reach the database (metric <c>pulse.search.database_queries</c>, meter
/// <c>Pulse.Posts</c>), which is what the search cache exists to keep low. The meter comes from the host's
/// <see cref="IMeterFactory"/>, so each host (and each test host) has its own.
/// </summary>
public sealed class MeteredPostSearchStore : IPostSearchStore
{
    public const string MeterName = "Pulse.Posts";
    public const string DatabaseQueriesName = "pulse.search.database_queries";

    private readonly IPostSearchStore _inner;
    private readonly Counter<long> _databaseQueries;

    public MeteredPostSearchStore(IPostSearchStore inner, IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _inner = inner;
        _databaseQueries = meters.Create(MeterName).CreateCounter<long>(
            DatabaseQueriesName, description: "Hashtag searches answered by the database instead of the cache");
    }

    public Task<IReadOnlyList<Post>> SearchByHashtagAsync(string hashtag, int limit, CancellationToken cancellationToken)
    {
        _databaseQueries.Add(1);
        return _inner.SearchByHashtagAsync(hashtag, limit, cancellationToken);
    }
}
