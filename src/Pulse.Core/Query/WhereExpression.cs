namespace Pulse.Core.Query;

/// <summary>A parsed <c>where</c> expression; <see cref="WhereParser"/> builds it left-deep.</summary>
public abstract record WhereExpression
{
    /// <summary>
    /// Reference semantics of the DSL over one event's properties (keys compared by the dictionary's comparer,
    /// which should be ordinal to agree with the SQL stores). Tests use it as the oracle for the translators.
    /// </summary>
    public abstract bool Evaluate(IReadOnlyDictionary<string, string> properties);
}

/// <summary>A single condition; matches when the event has the key and its value satisfies the operation.</summary>
public sealed record ConditionExpression(Condition Condition) : WhereExpression
{
    public Condition Condition { get; init; } = Condition ?? throw new ArgumentNullException(nameof(Condition));

    public override bool Evaluate(IReadOnlyDictionary<string, string> properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        return properties.TryGetValue(Condition.Key, out var stored) && ConditionSemantics.Matches(Condition, stored);
    }
}

/// <summary>
/// <c>Left Operator Right</c>. The parser nests to the left, so <c>c1 and c2 or c3</c> is
/// <c>(c1 and c2) or c3</c>: plain left-to-right evaluation, no precedence.
/// </summary>
public sealed record JoinExpression(WhereExpression Left, JoinOperator Operator, WhereExpression Right) : WhereExpression
{
    public WhereExpression Left { get; init; } = Left ?? throw new ArgumentNullException(nameof(Left));

    public JoinOperator Operator { get; init; } = Operator is JoinOperator.And or JoinOperator.Or
        ? Operator
        : throw new ArgumentOutOfRangeException(nameof(Operator), Operator, "Only And and Or join two expressions.");

    public WhereExpression Right { get; init; } = Right ?? throw new ArgumentNullException(nameof(Right));

    public override bool Evaluate(IReadOnlyDictionary<string, string> properties) => Operator == JoinOperator.And
        ? Left.Evaluate(properties) && Right.Evaluate(properties)
        : Left.Evaluate(properties) || Right.Evaluate(properties);
}
