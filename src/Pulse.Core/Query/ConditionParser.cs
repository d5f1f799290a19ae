using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Pulse.Core.Query;

/// <summary>Parses one trimmed condition; every error names the condition and the offset of the offending part.</summary>
internal static class ConditionParser
{
    private const string Operations = "=, !=, >, >=, <, <=, like, between";
    private const string Joins = "and, or, end";

    public static bool TryParse(
        string text,
        Token segment,
        int number,
        bool isLast,
        [NotNullWhen(true)] out Condition? condition,
        [NotNullWhen(false)] out WhereParseError? error)
    {
        condition = null;
        error = null;
        if (segment.Length == 0)
        {
            return Fail(number, segment.Start, "the condition is empty", out error);
        }

        var parts = Split(text, segment);
        if (parts.Count < 4)
        {
            return Fail(number, segment.Start, $"expected key&value&operation&join but found {Describe(parts.Count)}", out error);
        }

        var opToken = parts[^2];
        if (ParseOperation(opToken.In(text)) is not { } op)
        {
            return Fail(number, opToken.Start, $"unknown operation {Quote(text, opToken)}; expected one of {Operations}", out error);
        }

        var joinToken = parts[^1];
        if (ParseJoin(joinToken.In(text)) is not { } join)
        {
            return Fail(number, joinToken.Start, $"unknown join {Quote(text, joinToken)}; expected one of {Joins}", out error);
        }

        var isBetween = op == ComparisonOperator.Between;
        if (parts.Count != (isBetween ? 6 : 4))
        {
            var shape = isBetween ? "key&low&key&high&between&join (6 parts)" : $"one key&value pair: key&value&{Symbol(op)}&join (4 parts)";
            return Fail(number, segment.Start, $"operation '{Symbol(op)}' takes {shape} but found {Describe(parts.Count)}", out error);
        }

        if (parts[0].Length == 0 || (isBetween && parts[2].Length == 0))
        {
            return Fail(number, parts[0].Length == 0 ? parts[0].Start : parts[2].Start, "the key is empty", out error);
        }

        var key = text.Substring(parts[0].Start, parts[0].Length);
        if (isBetween && !parts[2].In(text).SequenceEqual(key))
        {
            return Fail(number, parts[2].Start, $"'between' needs the same key twice but found {Quote(text, parts[0])} and {Quote(text, parts[2])}", out error);
        }

        if (isLast && join != JoinOperator.End)
        {
            return Fail(number, joinToken.Start, $"the last condition must end with 'end' but ends with {Quote(text, joinToken)}", out error);
        }

        if (!isLast && join == JoinOperator.End)
        {
            return Fail(number, joinToken.Start, $"only the last condition may end with 'end'; use 'and' or 'or' to join condition {number + 1}", out error);
        }

        var value = text.Substring(parts[1].Start, parts[1].Length);
        var upper = isBetween ? text.Substring(parts[3].Start, parts[3].Length) : null;
        condition = new Condition(key, op, value, upper, join);
        return true;
    }

    private static List<Token> Split(string text, Token segment)
    {
        var parts = new List<Token>(6);
        var start = segment.Start;
        int amp;
        while ((amp = text.IndexOf('&', start, segment.End - start)) >= 0)
        {
            parts.Add(new Token(start, amp - start));
            start = amp + 1;
        }

        parts.Add(new Token(start, segment.End - start));
        return parts;
    }

    // Keywords match ASCII case-insensitively only, so look-alikes such as the dotless 'ı' are not accepted.
    private static ComparisonOperator? ParseOperation(ReadOnlySpan<char> token) => token switch
    {
        "=" => ComparisonOperator.Equal,
        "!=" => ComparisonOperator.NotEqual,
        ">" => ComparisonOperator.GreaterThan,
        ">=" => ComparisonOperator.GreaterThanOrEqual,
        "<" => ComparisonOperator.LessThan,
        "<=" => ComparisonOperator.LessThanOrEqual,
        _ when Ascii.EqualsIgnoreCase(token, "like") => ComparisonOperator.Like,
        _ when Ascii.EqualsIgnoreCase(token, "between") => ComparisonOperator.Between,
        _ => null,
    };

    private static JoinOperator? ParseJoin(ReadOnlySpan<char> token) =>
        Ascii.EqualsIgnoreCase(token, "and") ? JoinOperator.And
        : Ascii.EqualsIgnoreCase(token, "or") ? JoinOperator.Or
        : Ascii.EqualsIgnoreCase(token, "end") ? JoinOperator.End
        : null;

    private static string Symbol(ComparisonOperator op) => op switch
    {
        ComparisonOperator.Equal => "=",
        ComparisonOperator.NotEqual => "!=",
        ComparisonOperator.GreaterThan => ">",
        ComparisonOperator.GreaterThanOrEqual => ">=",
        ComparisonOperator.LessThan => "<",
        ComparisonOperator.LessThanOrEqual => "<=",
        ComparisonOperator.Like => "like",
        _ => "between",
    };

    private static string Describe(int count) => count == 1 ? "1 part" : $"{count} parts";

    // Echoes user input in messages, bounded so a huge token cannot bloat the error.
    private static string Quote(string text, Token token)
    {
        const int Max = 40;
        var shown = token.Length <= Max ? token.In(text).ToString() : string.Concat(text.AsSpan(token.Start, Max), "…");
        return $"'{shown}'";
    }

    private static bool Fail(int number, int position, string reason, out WhereParseError error)
    {
        error = new WhereParseError(number, position, reason);
        return false;
    }
}
