using System.Text;
using Pulse.Core.Events;

namespace Pulse.Core.Query;

/// <summary>
/// The event search as one SQL statement, written once for every store: name, time range, keyset cursor, the
/// <c>where</c> DSL (one correlated EXISTS on <c>event_properties p</c> per condition, unless the dialect writes a
/// condition otherwise: <see cref="AppendCondition"/>, or drives the statement from another table: <see cref="Source"/>),
/// order and limit. Values
/// only ever travel as parameters created by the dialect; the SQL text holds nothing but fixed fragments and
/// parameter placeholders. Semantics match <see cref="WhereExpression.Evaluate"/>. Each store supplies its
/// dialect: parameters, the selected columns, the literal substring match, the expression that orders values
/// by code point, and optionally a planner hint for the name filter.
/// </summary>
public abstract class EventSearchSql
{
    /// <summary>The selected columns, in this order: id, name, external id, properties (text), created at, event time, message (text), sent at, time clamped.</summary>
    protected abstract string Columns { get; }

    /// <summary>Adds a text parameter and returns its placeholder.</summary>
    protected abstract string AddText(string value);

    /// <summary>Adds a double parameter and returns its placeholder.</summary>
    protected abstract string AddNumber(double value);

    /// <summary>Adds an integer parameter and returns its placeholder.</summary>
    protected abstract string AddInteger(long value);

    /// <summary>Adds a time parameter, in the store's representation of <c>event_time</c>, and returns its placeholder.</summary>
    protected abstract string AddTime(DateTimeOffset value);

    /// <summary>A case-sensitive, literal (no wildcards) "value contains" test of <c>p.value</c>.</summary>
    protected abstract string Contains(string placeholder);

    /// <summary><c>p.value</c> as compared for ordering: by code point, case-sensitive.</summary>
    protected abstract string OrderedValue { get; }

    /// <summary>What the statement reads from: <c>events e</c>, or a join that drives it (its filter: <see cref="AppendSourceFilter"/>).</summary>
    protected virtual string Source => "events e";

    /// <summary>The event id the results are ordered and paged by (<c>e.id</c>, or the same id in the driving table).</summary>
    protected virtual string OrderId => "e.id";

    /// <summary>Appends the conditions that belong to <see cref="Source"/>, each starting with " AND ".</summary>
    protected virtual void AppendSourceFilter(StringBuilder sql)
    {
    }

    /// <summary>Appends the filter on <c>e.name</c>; a dialect may add conditions that the equality implies.</summary>
    protected virtual void AppendNameFilter(StringBuilder sql, string name) => sql.Append(" AND e.name = ").Append(name);

    /// <summary>The whole statement for <paramref name="query"/>; its parameters were added through the dialect.</summary>
    public string Write(EventQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var sql = new StringBuilder("SELECT ").Append(Columns).Append(" FROM ").Append(Source).Append(" WHERE 1 = 1");
        AppendFilters(sql, query);
        sql.Append(" ORDER BY ").Append(OrderId).Append(query.Descending ? " DESC LIMIT " : " LIMIT ").Append(AddInteger(query.Limit));
        return sql.ToString();
    }

    /// <summary>
    /// The distinct property keys of every event the query matches (its cursor, order and limit aside), in code-point
    /// order: the CSV export's columns, in one statement.
    /// </summary>
    public string WriteKeys(EventQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var sql = new StringBuilder("SELECT DISTINCT k.key FROM event_properties k WHERE k.event_id IN (SELECT ")
            .Append(OrderId).Append(" FROM ").Append(Source).Append(" WHERE 1 = 1");
        AppendFilters(sql, query with { AfterId = null });
        sql.Append(") ORDER BY k.key");
        return sql.ToString();
    }

    private void AppendFilters(StringBuilder sql, EventQuery query)
    {
        AppendSourceFilter(sql);
        if (query.EventName is not null)
        {
            AppendNameFilter(sql, AddText(query.EventName));
        }

        if (query.ExternalId is not null)
        {
            // The user and every user aliased to it (an anonymous id linked by alias / $create_alias / identify).
            var user = AddText(query.ExternalId);
            sql.Append(" AND e.user_id IN (SELECT u.id FROM users u WHERE u.external_id = ").Append(user)
                .Append(" UNION ALL SELECT a.alias_user_id FROM user_aliases a JOIN users u ON u.id = a.user_id WHERE u.external_id = ").Append(user).Append(')');
        }

        if (query.From is { } from)
        {
            sql.Append(" AND e.event_time >= ").Append(AddTime(from));
        }

        if (query.To is { } to)
        {
            sql.Append(" AND e.event_time < ").Append(AddTime(to));
        }

        if (query.AfterId is { } after)
        {
            sql.Append(" AND ").Append(OrderId).Append(query.Descending ? " < " : " > ").Append(AddInteger(after));
        }

        if (query.UpToId is { } upTo)
        {
            sql.Append(" AND ").Append(OrderId).Append(" <= ").Append(AddInteger(upTo));
        }

        if (query.Where is not null)
        {
            sql.Append(" AND (");
            Append(sql, query.Where);
            sql.Append(')');
        }
    }

    private void Append(StringBuilder sql, WhereExpression expression)
    {
        switch (expression)
        {
            case JoinExpression join:
                // Parenthesising every join keeps the parser's left-deep shape, so SQL's AND-over-OR precedence never applies.
                sql.Append('(');
                Append(sql, join.Left);
                sql.Append(join.Operator == JoinOperator.And ? " AND " : " OR ");
                Append(sql, join.Right);
                sql.Append(')');
                break;
            case ConditionExpression { Condition: var condition }:
                AppendCondition(sql, condition);
                break;
            default:
                throw new ArgumentException($"Unsupported expression {expression.GetType().Name}.", nameof(expression));
        }
    }

    /// <summary>
    /// Appends the test of event <c>e</c> against one condition: by default a correlated EXISTS, which the store's
    /// primary key (event_id, key) answers per event.
    /// </summary>
    protected virtual void AppendCondition(StringBuilder sql, Condition condition)
    {
        sql.Append("EXISTS (SELECT 1 FROM event_properties p WHERE p.event_id = e.id AND ");
        AppendPropertyFilter(sql, condition);
        sql.Append(')');
    }

    /// <summary>Appends the filter on <c>event_properties p</c> for one condition: its key and its predicate.</summary>
    protected void AppendPropertyFilter(StringBuilder sql, Condition condition)
    {
        ArgumentNullException.ThrowIfNull(sql);
        ArgumentNullException.ThrowIfNull(condition);
        sql.Append("p.key = ").Append(AddText(condition.Key)).Append(" AND ");
        AppendPredicate(sql, condition);
    }

    private void AppendPredicate(StringBuilder sql, Condition condition)
    {
        if (condition.Operator == ComparisonOperator.Like)
        {
            sql.Append(Contains(AddText(condition.Value)));
            return;
        }

        if (!condition.IsNumeric)
        {
            AppendTextComparison(sql, condition);
            return;
        }

        // A stored value is compared as a number only when it is one (num_value filled by NumericValue.TryParse);
        // the IS NOT NULL arm also lets the partial (key, num_value) index serve it.
        sql.Append("((p.num_value IS NOT NULL AND p.num_value ");
        if (condition.Operator == ComparisonOperator.Between)
        {
            sql.Append("BETWEEN ").Append(AddNumber(condition.NumericValue))
                .Append(" AND ").Append(AddNumber(condition.NumericUpperValue!.Value));
        }
        else
        {
            sql.Append(Symbol(condition.Operator)).Append(' ').Append(AddNumber(condition.NumericValue));
        }

        sql.Append(") OR (p.num_value IS NULL AND ");
        AppendTextComparison(sql, condition);
        sql.Append("))");
    }

    private void AppendTextComparison(StringBuilder sql, Condition condition)
    {
        // Equality is collation-independent and stays index-friendly; ordering compares by code point.
        sql.Append(condition.Operator is ComparisonOperator.Equal or ComparisonOperator.NotEqual ? "p.value" : OrderedValue).Append(' ');
        if (condition.Operator == ComparisonOperator.Between)
        {
            sql.Append("BETWEEN ").Append(AddText(condition.Value))
                .Append(" AND ").Append(AddText(condition.UpperValue!));
        }
        else
        {
            sql.Append(Symbol(condition.Operator)).Append(' ').Append(AddText(condition.Value));
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
}
