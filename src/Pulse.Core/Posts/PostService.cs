using Pulse.Core.Lifecycle;
using Pulse.Core.Tracking;
using Pulse.Core.Validation;

namespace Pulse.Core.Posts;

/// <summary>Creates posts, toggles likes (recording LIKE / UNLIKE events) and ranks popular posts.</summary>
/// <remarks><paramref name="suppressions"/> may be left out where nothing is ever suppressed (unit tests).</remarks>
public sealed class PostService(IPostStore store, ITrackedEventRecorder recorder, IPostsDiagnostics diagnostics, TimeProvider time, Suppressions? suppressions = null)
{
    public const int MaxContentLength = 5000;
    public const int MaxImageUrlsLength = 4000;
    public const int DefaultPopularLimit = 10;
    public const int MaxPopularLimit = 100;
    public const int MaxPopularHours = 24 * 366;

    /// <summary>The session id of tracked events Pulse records on a user's behalf (they carry no client session).</summary>
    public const string ServerSession = "server";

    public async Task<Outcome<Post>> CreateAsync(PostInput input, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        PostRules.RequireId(errors, "userId", input.UserId);
        Rules.RequiredText(errors, "content", input.Content, MaxContentLength);
        Rules.MaxLength(errors, "imageUrls", input.ImageUrls, MaxImageUrlsLength);
        var hashtags = Hashtags.Validate(errors, "hashtags", input.Hashtags);
        if (!errors.IsEmpty)
        {
            return Outcome<Post>.Invalid(errors);
        }

        if (suppressions?.IsSuppressed(input.UserId) == true)
        {
            return Outcome<Post>.Suppressed(SuppressionMessages.ForUserId(input.UserId!.Value));
        }

        var post = await store.CreateAsync(new NewPost(input.UserId!.Value, input.Content!, input.ImageUrls, hashtags), PostRules.Now(time), cancellationToken);
        return Outcome<Post>.Ok(post);
    }

    public Task<Post?> FindAsync(long postId, CancellationToken cancellationToken) => store.FindAsync(postId, cancellationToken);

    public async Task<Outcome<LikeToggle>> ToggleLikeAsync(LikeInput input, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        PostRules.RequireId(errors, "postId", input.PostId);
        PostRules.RequireId(errors, "userId", input.UserId);
        if (!errors.IsEmpty)
        {
            return Outcome<LikeToggle>.Invalid(errors);
        }

        if (suppressions?.IsSuppressed(input.UserId) == true)
        {
            return Outcome<LikeToggle>.Suppressed(SuppressionMessages.ForUserId(input.UserId!.Value));
        }

        var now = PostRules.Now(time);
        var toggle = await store.ToggleLikeAsync(input.PostId!.Value, input.UserId!.Value, now, cancellationToken);
        if (toggle is null)
        {
            return Outcome<LikeToggle>.NotFound($"No post has id {input.PostId}.");
        }

        var liked = new TrackedEvent(
            toggle.Liked ? TrackedEventType.Like : TrackedEventType.Unlike, toggle.UserId, ServerSession, Components.Like, null, null, toggle.PostId, now);
        await SideEffects.RunAsync(diagnostics, toggle.Liked ? "LIKE event" : "UNLIKE event", () => recorder.RecordAsync([liked], cancellationToken), cancellationToken);
        return Outcome<LikeToggle>.Ok(toggle);
    }

    public async Task<Outcome<IReadOnlyList<Post>>> PopularAsync(int? limit, int? hours, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (limit is < 1 or > MaxPopularLimit)
        {
            errors.Add("limit", $"'limit' must be between 1 and {MaxPopularLimit}.");
        }

        if (hours is < 1 or > MaxPopularHours)
        {
            errors.Add("hours", $"'hours' must be between 1 and {MaxPopularHours}.");
        }

        if (!errors.IsEmpty)
        {
            return Outcome<IReadOnlyList<Post>>.Invalid(errors);
        }

        DateTimeOffset? since = hours is { } window ? time.GetUtcNow() - TimeSpan.FromHours(window) : null;
        return Outcome<IReadOnlyList<Post>>.Ok(await store.PopularAsync(limit ?? DefaultPopularLimit, since, cancellationToken));
    }
}

internal static class PostRules
{
    public static void RequireId(ValidationErrors errors, string field, long? value)
    {
        if (value is null)
        {
            errors.Add(field, $"'{field}' is required.");
        }
        else if (value < 1)
        {
            errors.Add(field, $"'{field}' must be 1 or greater.");
        }
    }

    /// <summary>Millisecond precision, which both stores keep exactly, so an answer and a later read agree.</summary>
    public static DateTimeOffset Now(TimeProvider time) => DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds());
}
