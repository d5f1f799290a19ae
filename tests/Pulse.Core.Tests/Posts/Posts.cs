using Pulse.Core.Posts;

namespace Pulse.Core.Tests.Posts;

public static class Posts
{
    public static Post Tagged(string hashtag, long likes = 0, long id = 1) =>
        new(id, 42, "content", null, [hashtag], DateTimeOffset.UnixEpoch, likes);
}
