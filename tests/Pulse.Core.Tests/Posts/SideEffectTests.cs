using Microsoft.Extensions.Time.Testing;
using Pulse.Core.Posts;
using Pulse.Core.Tracking;

namespace Pulse.Core.Tests.Posts;

/// <summary>Tracked events are recorded after the request's own work; their failure is reported, not thrown.</summary>
public sealed class SideEffectTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 21, 5, 21, 0, TimeSpan.Zero));
    private readonly RecordingDiagnostics _diagnostics = new();

    [Fact]
    public async Task A_committed_like_is_answered_even_if_its_event_cannot_be_recorded()
    {
        var posts = new PostService(new OnePostStore(), new FailingRecorder(), _diagnostics, _clock);

        var outcome = await posts.ToggleLikeAsync(new LikeInput(7, 3), default);

        Assert.Equal(Core.OutcomeKind.Ok, outcome.Kind);
        Assert.True(outcome.Value!.Liked);
        Assert.Equal(["LIKE event"], _diagnostics.Failures);
    }

    [Fact]
    public async Task A_like_records_a_like_event_of_the_like_component()
    {
        var recorder = new RecordingRecorder();
        var posts = new PostService(new OnePostStore(), recorder, _diagnostics, _clock);

        await posts.ToggleLikeAsync(new LikeInput(7, 3), default);
        await posts.ToggleLikeAsync(new LikeInput(7, 3), default);

        Assert.Equal([TrackedEventType.Like, TrackedEventType.Unlike], recorder.Events.Select(e => e.Type));
        Assert.All(recorder.Events, e =>
        {
            Assert.Equal(Components.Like, e.ComponentId);
            Assert.Equal(7, e.PostId);
            Assert.Equal(3, e.UserId);
            Assert.False(string.IsNullOrWhiteSpace(e.SessionId));
        });
    }

    [Fact]
    public async Task A_search_is_answered_even_if_its_event_cannot_be_recorded()
    {
        var recent = new InMemoryRecentKeywords(_clock);
        var search = new PostSearchService(
            new CachedPostSearch(new FakeSearchStore(), new InMemorySearchResultCache(_clock), new SearchCacheOptions(), _clock),
            recent, new FailingRecorder(), _diagnostics, _clock);

        var outcome = await search.SearchAsync(5, "#고양이", default);

        Assert.Equal("고양이", outcome.Value!.Single().Hashtags[0]);
        Assert.Equal(["SEARCH event"], _diagnostics.Failures);
        Assert.Equal(["고양이"], await recent.GetAsync(5, default));
    }

    [Fact]
    public async Task A_search_records_a_search_event_with_the_normalised_keyword()
    {
        var recorder = new RecordingRecorder();
        var search = new PostSearchService(
            new CachedPostSearch(new FakeSearchStore(), new InMemorySearchResultCache(_clock), new SearchCacheOptions(), _clock),
            new InMemoryRecentKeywords(_clock), recorder, _diagnostics, _clock);

        await search.SearchAsync(5, " #고양이 ", default);

        var searched = Assert.Single(recorder.Events);
        Assert.Equal(TrackedEventType.Search, searched.Type);
        Assert.Equal(Components.Search, searched.ComponentId);
        Assert.Equal("고양이", searched.Keyword);
        Assert.Equal(5, searched.UserId);
        Assert.Empty(_diagnostics.Failures);
    }

    private sealed class OnePostStore : IPostStore
    {
        private bool _liked;

        public Task<Post> CreateAsync(NewPost post, DateTimeOffset now, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<Post?> FindAsync(long postId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<LikeToggle?> ToggleLikeAsync(long postId, long userId, DateTimeOffset now, CancellationToken cancellationToken)
        {
            _liked = !_liked;
            return Task.FromResult<LikeToggle?>(new LikeToggle(postId, userId, _liked, _liked ? 1 : 0));
        }

        public Task<IReadOnlyList<Post>> PopularAsync(int limit, DateTimeOffset? since, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
