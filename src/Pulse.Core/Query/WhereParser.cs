using System.Diagnostics.CodeAnalysis;

namespace Pulse.Core.Query;

/// <summary>
/// Parses the <c>where</c> DSL: comma-separated conditions <c>key&amp;value[&amp;key&amp;value]&amp;operation&amp;join</c>.
/// There is no escaping, so keys and values cannot contain <c>,</c> or <c>&amp;</c>.
/// </summary>
public static class WhereParser
{
    /// <summary>Bounds the SQL each request can generate (one correlated EXISTS per condition).</summary>
    public const int MaxConditions = 20;

    public static WhereExpression Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var expression, out var error) ? expression : throw new WhereSyntaxException(error);
    }

    public static bool TryParse(
        string? text,
        [NotNullWhen(true)] out WhereExpression? expression,
        [NotNullWhen(false)] out WhereParseError? error)
    {
        expression = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = new WhereParseError(1, 0, "the where expression is empty");
            return false;
        }

        WhereExpression? tree = null;
        var previousJoin = JoinOperator.End;
        var start = 0;
        for (var number = 1; ; number++)
        {
            var comma = text.IndexOf(',', start);
            var isLast = comma < 0;
            var segment = Trim(text, start, isLast ? text.Length : comma);
            if (number > MaxConditions)
            {
                error = new WhereParseError(number, segment.Start, $"too many conditions; at most {MaxConditions} are allowed");
                return false;
            }

            if (!ConditionParser.TryParse(text, segment, number, isLast, out var condition, out error))
            {
                return false;
            }

            // Left-deep nesting is what makes evaluation strictly left to right.
            var node = new ConditionExpression(condition);
            tree = tree is null ? node : new JoinExpression(tree, previousJoin, node);
            if (isLast)
            {
                expression = tree;
                return true;
            }

            previousJoin = condition.Join;
            start = comma + 1;
        }
    }

    // Whitespace around a condition (e.g. after the comma) is ignored; inside it everything is verbatim.
    private static Token Trim(string text, int start, int end)
    {
        while (start < end && char.IsWhiteSpace(text[start]))
        {
            start++;
        }

        while (end > start && char.IsWhiteSpace(text[end - 1]))
        {
            end--;
        }

        return new Token(start, end - start);
    }
}

/// <summary>A slice of the where string, kept as offsets so errors can point at it.</summary>
internal readonly record struct Token(int Start, int Length)
{
    public int End => Start + Length;

    public ReadOnlySpan<char> In(string text) => text.AsSpan(Start, Length);
}
