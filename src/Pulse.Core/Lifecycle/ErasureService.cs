using Pulse.Core.Caching;
using Pulse.Core.Posts;
using Pulse.Core.Users;

namespace Pulse.Core.Lifecycle;

/// <summary>How erasures run: rows per transaction, and up to how many rows one runs inline (answered 200) rather than in the background (202).</summary>
public sealed record ErasureSettings(int ChunkSize, int InlineLimit);

/// <summary>
/// Erases a person. The order is what makes an erasure racing ingestion safe:
/// <list type="number">
/// <item>the durable record (and suppression) first, so a 202 is an acknowledged write and a restart resumes it;</item>
/// <item>each kind of row in chunks, one short transaction each, until a chunk comes back short: everything committed
/// before the erasure began is then gone, and so is whatever was committed meanwhile;</item>
/// <item>the users rows, then every cached copy (user lookups on every instance, search results, recent keywords);</item>
/// <item>a second pass over the chunks for writes that had resolved the user before its row went and committed after.</item>
/// </list>
/// Every step is idempotent, so running an erasure again (a resume, or two instances at once) removes nothing twice.
/// </summary>
public sealed class ErasureService(
    IErasureStore store,
    Suppressions suppressions,
    LookupCache<User> users,
    IRecentKeywords recentKeywords,
    ISearchResultEviction searchResults,
    ErasureSettings settings,
    TimeProvider time)
{
    private static readonly ErasureStep[] Steps = [ErasureStep.Events, ErasureStep.TrackedEvents, ErasureStep.Likes, ErasureStep.Posts];

    public async Task<ErasureStart> BeginAsync(string externalId, bool suppress, long? keyId, string keyName, CancellationToken cancellationToken)
    {
        var start = await store.BeginAsync(new ErasureRequest(externalId, suppress, keyId, keyName, time.GetUtcNow()), settings.InlineLimit, cancellationToken);
        if (suppress)
        {
            await suppressions.AddedAsync(cancellationToken);
        }

        return start;
    }

    /// <summary>Small erasures finish inside the request (200); larger ones continue in the background (202).</summary>
    public bool RunsInline(ErasureStart start) => start.PendingRows <= settings.InlineLimit;

    public async Task<Erasure> RunAsync(Erasure erasure, CancellationToken cancellationToken)
    {
        if (erasure.CompletedAt is not null)
        {
            return erasure;
        }

        var hashtags = new HashSet<string>(StringComparer.Ordinal);
        long keywords = 0;
        if (erasure.UserIds.Count > 0)
        {
            await DeleteEverythingAsync(erasure, hashtags, cancellationToken);
            await store.DeleteUsersAsync(erasure, cancellationToken);
            await ForgetCachedAsync(erasure, hashtags, cancellationToken);
            foreach (var userId in erasure.UserIds)
            {
                keywords += await recentKeywords.RemoveAsync(userId, cancellationToken);
            }

            hashtags.Clear();
            await DeleteEverythingAsync(erasure, hashtags, cancellationToken);
            await ForgetCachedAsync(erasure, hashtags, cancellationToken);
        }

        return await store.CompleteAsync(erasure, keywords, time.GetUtcNow(), cancellationToken);
    }

    public Task<Erasure?> FindAsync(long id, CancellationToken cancellationToken) => store.FindAsync(id, cancellationToken);

    public Task<IReadOnlyList<Erasure>> ListAsync(long? before, int limit, CancellationToken cancellationToken) => store.ListAsync(before, limit, cancellationToken);

    public Task<IReadOnlyList<Erasure>> UnfinishedAsync(CancellationToken cancellationToken) => store.UnfinishedAsync(cancellationToken);

    private async Task DeleteEverythingAsync(Erasure erasure, HashSet<string> hashtags, CancellationToken cancellationToken)
    {
        foreach (var step in Steps)
        {
            while (true)
            {
                var chunk = await store.DeleteChunkAsync(erasure, step, settings.ChunkSize, cancellationToken);
                hashtags.UnionWith(chunk.Hashtags);
                if (chunk.Removed < settings.ChunkSize)
                {
                    break;
                }
            }
        }
    }

    private async Task ForgetCachedAsync(Erasure erasure, HashSet<string> hashtags, CancellationToken cancellationToken)
    {
        await users.InvalidateAsync(erasure.ExternalId, cancellationToken);
        foreach (var alias in erasure.AliasExternalIds)
        {
            await users.InvalidateAsync(alias, cancellationToken);
        }

        foreach (var hashtag in hashtags)
        {
            await searchResults.EvictAsync(hashtag, cancellationToken);
        }
    }
}
