using Pulse.Core.Query;

namespace Pulse.Core.Events;

/// <summary>
/// A property search. Results are ordered by id (ascending unless <see cref="Descending"/>) and paged by
/// keyset: <see cref="AfterId"/> is the last id of the previous page.
/// </summary>
public sealed record EventQuery(
    string? EventName,
    WhereExpression? Where,
    DateTimeOffset? From,
    DateTimeOffset? To,
    long? AfterId,
    int Limit,
    bool Descending)
{
    /// <summary>Only events of this user, and of the users (anonymous ids) aliased to it.</summary>
    public string? ExternalId { get; init; }

    /// <summary>Only events whose id is at most this (the export's bound: what existed when it began).</summary>
    public long? UpToId { get; init; }

    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;
}
