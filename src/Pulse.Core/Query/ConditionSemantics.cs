namespace Pulse.Core.Query;

/// <summary>Whether one stored value satisfies a condition; the SQL translators must agree with this.</summary>
internal static class ConditionSemantics
{
    public static bool Matches(Condition condition, string stored)
    {
        if (condition.Operator == ComparisonOperator.Like)
        {
            return stored.Contains(condition.Value, StringComparison.Ordinal);
        }

        // Numeric only when both sides are numbers; otherwise fall back to comparing the text.
        if (condition.IsNumeric && NumericValue.TryParse(stored, out var number))
        {
            return condition.Operator == ComparisonOperator.Between
                ? number >= condition.NumericValue && number <= condition.NumericUpperValue!.Value
                : Holds(condition.Operator, number.CompareTo(condition.NumericValue));
        }

        return condition.Operator == ComparisonOperator.Between
            ? CodePointOrder.Compare(stored, condition.Value) >= 0 && CodePointOrder.Compare(stored, condition.UpperValue!) <= 0
            : Holds(condition.Operator, CodePointOrder.Compare(stored, condition.Value));
    }

    private static bool Holds(ComparisonOperator op, int comparison) => op switch
    {
        ComparisonOperator.Equal => comparison == 0,
        ComparisonOperator.NotEqual => comparison != 0,
        ComparisonOperator.GreaterThan => comparison > 0,
        ComparisonOperator.GreaterThanOrEqual => comparison >= 0,
        ComparisonOperator.LessThan => comparison < 0,
        ComparisonOperator.LessThanOrEqual => comparison <= 0,
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };
}
