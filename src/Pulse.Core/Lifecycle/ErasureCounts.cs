namespace Pulse.Core.Lifecycle;

/// <summary>
/// What an erasure removed, per kind of row (or cached item). Each store adds what one transaction removed, in that
/// transaction, so the counts on a durable erasure record always equal what is gone, also across a restart.
/// </summary>
/// <param name="Users">Users rows: the erased user and every user whose id was aliased to it (SDK anonymous ids).</param>
/// <param name="Events">CRM and SDK events.</param>
/// <param name="EventProperties">Their indexed property rows.</param>
/// <param name="CampaignLinks">Their links to campaigns.</param>
/// <param name="MessageIds">Their events' dedupe keys: SDK message ids (the dedupe window's rows) and import keys (<c>event_imports</c>).</param>
/// <param name="Aliases">Alias links from or to the users.</param>
/// <param name="TrackedEvents">Tracked events with the user's id.</param>
/// <param name="Likes">Likes the user gave (each post's like count lowered by one).</param>
/// <param name="Posts">The user's posts.</param>
/// <param name="PostHashtags">Their posts' hashtag rows.</param>
/// <param name="LikesOnPosts">Likes other users gave to the erased posts.</param>
/// <param name="RecentKeywords">Recent search keywords the user had.</param>
public sealed record ErasureCounts(
    long Users = 0,
    long Events = 0,
    long EventProperties = 0,
    long CampaignLinks = 0,
    long MessageIds = 0,
    long Aliases = 0,
    long TrackedEvents = 0,
    long Likes = 0,
    long Posts = 0,
    long PostHashtags = 0,
    long LikesOnPosts = 0,
    long RecentKeywords = 0)
{
    public static readonly ErasureCounts None = new();

    /// <summary>The stores' column names, in the order of this record's members (the erasures table has one column per kind).</summary>
    public static readonly string[] Columns =
    [
        "users", "events", "event_properties", "campaign_links", "message_ids", "aliases",
        "tracked_events", "likes", "posts", "post_hashtags", "likes_on_posts", "recent_keywords",
    ];

    public long Total => Users + Events + EventProperties + CampaignLinks + MessageIds + Aliases + TrackedEvents + Likes + Posts + PostHashtags + LikesOnPosts + RecentKeywords;

    /// <summary>The counts in <see cref="Columns"/> order.</summary>
    public long[] ToArray() => [Users, Events, EventProperties, CampaignLinks, MessageIds, Aliases, TrackedEvents, Likes, Posts, PostHashtags, LikesOnPosts, RecentKeywords];

    public static ErasureCounts FromArray(IReadOnlyList<long> values) =>
        new(values[0], values[1], values[2], values[3], values[4], values[5], values[6], values[7], values[8], values[9], values[10], values[11]);

    /// <summary>The counts from a row holding <see cref="Columns"/> in order, from column <paramref name="first"/> on.</summary>
    public static ErasureCounts Read(System.Data.Common.DbDataReader reader, int first)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var values = new long[Columns.Length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = reader.GetInt64(first + i);
        }

        return FromArray(values);
    }
}
