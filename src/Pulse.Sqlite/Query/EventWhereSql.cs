using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Pulse.Core.Query;

namespace Pulse.Sqlite.Query;

/// <summary>
/// Translates a <see cref="WhereExpression"/> into a boolean SQL expression over <c>events e</c>, one correlated
/// EXISTS on <c>event_properties p</c> per condition. Keys and values only ever travel as typed parameters named
/// <c>$w0</c>, <c>$w1</c>, ... (a prefix the caller must not use); the SQL text holds nothing but fixed fragments
/// and parameter names. Semantics match <see cref="WhereExpression.Evaluate"/>.
/// </summary>
public static class EventWhereSql
{
    public static void Append(StringBuilder sql, SqliteParameterCollection parameters, WhereExpression expression)
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

    private static void AppendPredicate(StringBuilder sql, SqliteParameterCollection parameters, Condition condition)
    {
        if (condition.Operator == ComparisonOperator.Like)
        {
            // instr, not LIKE: SQLite's LIKE ignores ASCII case and treats % and _ as wildcards.
            sql.Append("instr(p.value, ").Append(Text(parameters, condition.Value)).Append(") > 0");
            return;
        }

        if (!condition.IsNumeric)
        {
            AppendTextComparison(sql, parameters, condition);
            return;
        }

        // A stored value is compared as a number only when it is one (num_value filled by NumericValue.TryParse);
        // the IS NOT NULL arm also lets SQLite use the partial (key, num_value) index.
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

    // value is a TEXT column with the default BINARY collation: byte (= code point) order, case-sensitive.
    private static void AppendTextComparison(StringBuilder sql, SqliteParameterCollection parameters, Condition condition)
    {
        sql.Append("p.value ");
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

    private static string Text(SqliteParameterCollection parameters, string value) => Add(parameters, SqliteType.Text, value);

    private static string Number(SqliteParameterCollection parameters, double value) => Add(parameters, SqliteType.Real, value);

    private static string Add(SqliteParameterCollection parameters, SqliteType type, object value)
    {
        // First free $wN, so appending twice to one command never reuses a name.
        var index = 0;
        string name;
        while (parameters.Contains(name = "$w" + index.ToString(CultureInfo.InvariantCulture)))
        {
            index++;
        }

        parameters.Add(new SqliteParameter(name, type) { Value = value });
        return name;
    }
}
