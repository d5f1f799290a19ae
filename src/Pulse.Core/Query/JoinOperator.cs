namespace Pulse.Core.Query;

/// <summary>How a condition combines with the next one; <see cref="End"/> marks the last condition.</summary>
public enum JoinOperator
{
    And,
    Or,
    End,
}
