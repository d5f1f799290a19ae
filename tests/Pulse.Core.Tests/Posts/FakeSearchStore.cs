using Pulse.Core.Posts;

namespace Pulse.Core.Tests.Posts;

/// <summary>Counts queries; a test can hold them at a gate or make them fail.</summary>
public sealed class FakeSearchStore : IPostSearchStore
{
    private int _queries;

    public int Queries => Volatile.Read(ref _queries);

    public TaskCompletionSource? Gate { get; set; }

    public Exception? Failure { get; set; }

    public long LikeCount { get; set; }

    public async Task<IReadOnlyList<Post>> SearchByHashtagAsync(string hashtag, int limit, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _queries);
        if (Gate is { } gate)
        {
            await gate.Task;
        }

        await Task.Yield();
        return Failure is { } failure ? throw failure : [Posts.Tagged(hashtag, LikeCount)];
    }
}
