namespace Pulse.Core.Lifecycle;

/// <summary>
/// One erasure and its audit record: who asked (the key's id and name, never its secret), whom (the external id), when,
/// and what was removed. <see cref="UserIds"/> and <see cref="AliasExternalIds"/> are what a resumed erasure needs; the
/// aliased external ids are cleared when it completes, so a finished record names only the id that was asked for.
/// </summary>
public sealed record Erasure(
    long Id,
    string ExternalId,
    IReadOnlyList<long> UserIds,
    IReadOnlyList<string> AliasExternalIds,
    bool Suppress,
    long? KeyId,
    string KeyName,
    DateTimeOffset RequestedAt,
    DateTimeOffset? CompletedAt,
    ErasureCounts Counts)
{
    public const string Running = "running";
    public const string Completed = "completed";

    public string Status => CompletedAt is null ? Running : Completed;
}

/// <summary>Who asks for an erasure and whom it is for.</summary>
public sealed record ErasureRequest(string ExternalId, bool Suppress, long? KeyId, string KeyName, DateTimeOffset At);

/// <summary>A recorded erasure and how many rows are left to remove (counted up to a bound: enough to decide inline or background).</summary>
public sealed record ErasureStart(Erasure Erasure, long PendingRows);

/// <summary>What one chunk removed: how many rows of its step, and the hashtags whose cached search results it changed.</summary>
public sealed record ErasureChunk(long Removed, IReadOnlyList<string> Hashtags);

/// <summary>The chunked steps of an erasure, run in this order.</summary>
public enum ErasureStep
{
    /// <summary>Events with their properties, campaign links and SDK message ids.</summary>
    Events,

    /// <summary>Tracked events.</summary>
    TrackedEvents,

    /// <summary>Likes the users gave, lowering each post's like count.</summary>
    Likes,

    /// <summary>Posts with their hashtags and the likes on them.</summary>
    Posts,
}

/// <summary>A suppressed external id: later ingestion for it is refused. <see cref="UserId"/> is the erased user's id, which the tracker's numeric user ids name.</summary>
public sealed record Suppression(string ExternalId, long? UserId, long? ErasureId, DateTimeOffset CreatedAt);
