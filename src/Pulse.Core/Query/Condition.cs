namespace Pulse.Core.Query;

/// <summary>
/// One parsed condition. <see cref="UpperValue"/> is set exactly when <see cref="Operator"/> is
/// <see cref="ComparisonOperator.Between"/>; <see cref="Join"/> says how it combines with the next condition.
/// </summary>
public sealed record Condition(string Key, ComparisonOperator Operator, string Value, string? UpperValue, JoinOperator Join)
{
    // Validated here as well as in the parser so hand-built conditions cannot reach the SQL translators half-formed.
    public string Key { get; init; } = string.IsNullOrEmpty(Key) ? throw new ArgumentException("A condition key must not be empty.", nameof(Key)) : Key;

    public string Value { get; init; } = Value ?? throw new ArgumentNullException(nameof(Value));

    public string? UpperValue { get; init; } = (Operator == ComparisonOperator.Between) == (UpperValue is not null)
        ? UpperValue
        : throw new ArgumentException("UpperValue is required for Between and must be null otherwise.", nameof(UpperValue));

    // Computed on access (not stored) so a `with` copy never carries a stale numeric form.

    /// <summary>True when every value of the condition is numeric per <see cref="NumericValue"/>.</summary>
    public bool IsNumeric => Query.NumericValue.TryParse(Value, out _) && (UpperValue is null || Query.NumericValue.TryParse(UpperValue, out _));

    /// <summary>The numeric form of <see cref="Value"/>; only valid when <see cref="IsNumeric"/>.</summary>
    public double NumericValue => IsNumeric && Query.NumericValue.TryParse(Value, out var n)
        ? n
        : throw new InvalidOperationException($"Condition on '{Key}' is not numeric.");

    /// <summary>The numeric form of <see cref="UpperValue"/> (null when there is none); only valid when <see cref="IsNumeric"/>.</summary>
    public double? NumericUpperValue => UpperValue is null
        ? null
        : IsNumeric && Query.NumericValue.TryParse(UpperValue, out var n)
            ? n
            : throw new InvalidOperationException($"Condition on '{Key}' is not numeric.");
}
