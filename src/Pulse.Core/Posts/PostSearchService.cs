using Pulse.Core.Lifecycle;
using Pulse.Core.Tracking;
using Pulse.Core.Validation;

namespace Pulse.Core.Posts;

/// <summary>
/// Hashtag search with its side effects: the keyword goes to the user's recent list and a SEARCH event is recorded
/// (componentId 1001), concurrently with the (cached) search itself.
/// </summary>
public sealed class PostSearchService(
    CachedPostSearch search, IRecentKeywords recent, ITrackedEventRecorder recorder, IPostsDiagnostics diagnostics, TimeProvider time, Suppressions? suppressions = null)
{
    public async Task<Outcome<IReadOnlyList<Post>>> SearchAsync(long? userId, string? keyword, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        PostRules.RequireId(errors, "userId", userId);
        Hashtags.TryNormalise(errors, "keyword", keyword, out var hashtag);
        if (!errors.IsEmpty)
        {
            return Outcome<IReadOnlyList<Post>>.Invalid(errors);
        }

        var user = userId!.Value;
        var searched = new TrackedEvent(
            TrackedEventType.Search, user, PostService.ServerSession, Components.Search, null, hashtag, null, PostRules.Now(time));
        var results = search.SearchAsync(hashtag, cancellationToken);
        if (suppressions?.IsSuppressed(user) == true)
        {
            // An erased and suppressed user still gets answers, but nothing about them is recorded.
            return Outcome<IReadOnlyList<Post>>.Ok(await results);
        }

        var remembered = SideEffects.RunAsync(diagnostics, "recent keyword", () => recent.PushAsync(user, hashtag, cancellationToken).AsTask(), cancellationToken);
        var tracked = SideEffects.RunAsync(diagnostics, "SEARCH event", () => recorder.RecordAsync([searched], cancellationToken), cancellationToken);
        await Task.WhenAll(results, remembered, tracked);
        return Outcome<IReadOnlyList<Post>>.Ok(await results);
    }

    public async Task<Outcome<IReadOnlyList<string>>> RecentAsync(long userId, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        PostRules.RequireId(errors, "userId", userId);
        return errors.IsEmpty
            ? Outcome<IReadOnlyList<string>>.Ok(await recent.GetAsync(userId, cancellationToken))
            : Outcome<IReadOnlyList<string>>.Invalid(errors);
    }
}
