namespace Pulse.Core.Query;

/// <summary>The operation of one <c>where</c> condition.</summary>
public enum ComparisonOperator
{
    Equal,
    NotEqual,
    GreaterThan,
    GreaterThanOrEqual,
    LessThan,
    LessThanOrEqual,

    /// <summary>Ordinal substring match; <c>%</c> and <c>_</c> are ordinary characters.</summary>
    Like,

    /// <summary>Inclusive range over two values of the same key.</summary>
    Between,
}
