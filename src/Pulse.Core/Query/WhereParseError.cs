namespace Pulse.Core.Query;

/// <summary>
/// Why a <c>where</c> string is malformed. <paramref name="ConditionNumber"/> is 1-based;
/// <paramref name="Position"/> is the 0-based character offset in the where string of the offending part.
/// </summary>
public sealed record WhereParseError(int ConditionNumber, int Position, string Reason)
{
    public string Message => $"condition {ConditionNumber} (at character {Position}): {Reason}";
}

/// <summary>Thrown by <see cref="WhereParser.Parse"/>; <see cref="Error"/> carries the structured detail.</summary>
public sealed class WhereSyntaxException : FormatException
{
    public WhereSyntaxException(WhereParseError error)
        : base((error ?? throw new ArgumentNullException(nameof(error))).Message) => Error = error;

    public WhereParseError Error { get; }
}
