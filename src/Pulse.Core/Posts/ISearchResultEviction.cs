namespace Pulse.Core.Posts;

/// <summary>Drops a keyword's cached search results (an erasure changed them); the next search reads the database.</summary>
public interface ISearchResultEviction
{
    ValueTask EvictAsync(string keyword, CancellationToken cancellationToken);
}
