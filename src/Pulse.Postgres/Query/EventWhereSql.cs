using System.Text;
using Npgsql;
using NpgsqlTypes;
using Pulse.Core.Query;

namespace Pulse.Postgres.Query;

/// <summary>
/// Translates a <see cref="WhereExpression"/> into a boolean SQL expression over <c>events e</c>, one correlated
/// EXISTS on <c>event_properties p</c> per condition. Keys and values only ever travel as typed positional
/// parameters (<c>$n</c>, numbered after those already in the collection, so the caller must use positional
/// parameters too); the SQL text holds nothing but fixed fragments and parameter numbers.
/// Semantics match <see cref="WhereExpression.Evaluate"/>.
/// </summary>
public static class EventWhereSql
{
    public static void Append(StringBuilder sql, NpgsqlParameterCollection parameters, WhereExpression expression)
    {
        ArgumentNullException.ThrowIfNull(sql);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(expression);
        switch (expression)
        {
            case JoinExpression join:
                // Parenthesising every join keeps the parser's left-deep shape, so SQL's AND-over-OR precedence never applies.
                sql.Append('(');
                Append(sql, parameters, join.Left);
                sql.Append(join.Operator == JoinOperator.And ? " AND " : " OR ");
                Append(sql, parameters, join.Right);
                sql.Append(')');
                break;
            case ConditionExpression { Condition: var condition }:
                sql.Append("EXISTS (SELECT 1 FROM event_properties p WHERE p.event_id = e.id AND p.key = ")
                    .Append(Text(parameters, condition.Key))
                    .Append(" AND ");
                AppendPredicate(sql, parameters, condition);
                sql.Append(')');
                break;
            default:
                throw new ArgumentException($"Unsupported expression {expression.GetType().Name}.", nameof(expression));
        }
    }

    private static void AppendPredicate(StringBuilder sql, NpgsqlParameterCollection parameters, Condition condition)
    {
        if (condition.Operator == ComparisonOperator.Like)
        {
            // strpos, not LIKE: % and _ in the value are literal and the match stays case-sensitive.
            sql.Append("strpos(p.value, ").Append(Text(parameters, condition.Value)).Append(") > 0");
            return;
        }

        if (!condition.IsNumeric)
        {
            AppendTextComparison(sql, parameters, condition);
            return;
        }

        // A stored value is compared as a number only when it is one (num_value filled by NumericValue.TryParse).
        sql.Append("((p.num_value IS NOT NULL AND p.num_value ");
        if (condition.Operator == ComparisonOperator.Between)
        {
            sql.Append("BETWEEN ").Append(Number(parameters, condition.NumericValue))
                .Append(" AND ").Append(Number(parameters, condition.NumericUpperValue!.Value));
        }
        else
        {
            sql.Append(Symbol(condition.Operator)).Append(' ').Append(Number(parameters, condition.NumericValue));
        }

        sql.Append(") OR (p.num_value IS NULL AND ");
        AppendTextComparison(sql, parameters, condition);
        sql.Append("))");
    }

    private static void AppendTextComparison(StringBuilder sql, NpgsqlParameterCollection parameters, Condition condition)
    {
        // Equality is collation-independent (deterministic collations) and stays index-friendly; ordering uses
        // "C" so it is by code point, whatever the database's default collation is.
        sql.Append(condition.Operator switch
        {
            ComparisonOperator.Equal or ComparisonOperator.NotEqual => "p.value ",
            _ => "p.value COLLATE \"C\" ",
        });
        if (condition.Operator == ComparisonOperator.Between)
        {
            sql.Append("BETWEEN ").Append(Text(parameters, condition.Value))
                .Append(" AND ").Append(Text(parameters, condition.UpperValue!));
        }
        else
        {
            sql.Append(Symbol(condition.Operator)).Append(' ').Append(Text(parameters, condition.Value));
        }
    }

    private static string Symbol(ComparisonOperator op) => op switch
    {
        ComparisonOperator.Equal => "=",
        ComparisonOperator.NotEqual => "<>",
        ComparisonOperator.GreaterThan => ">",
        ComparisonOperator.GreaterThanOrEqual => ">=",
        ComparisonOperator.LessThan => "<",
        ComparisonOperator.LessThanOrEqual => "<=",
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };

    private static string Text(NpgsqlParameterCollection parameters, string value) =>
        Add(parameters, new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = value });

    private static string Number(NpgsqlParameterCollection parameters, double value) =>
        Add(parameters, new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Double, Value = value });

    // Unnamed parameters are positional in Npgsql: the n-th one in the collection is $n.
    private static string Add(NpgsqlParameterCollection parameters, NpgsqlParameter parameter)
    {
        parameters.Add(parameter);
        return "$" + parameters.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
