using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Pulse.Core.Events;
using Pulse.Core.Query;

namespace Pulse.Sqlite.Query;

/// <summary>
/// The event search in SQLite: typed parameters <c>$p0</c>, <c>$p1</c>, ..., <c>instr</c> for the substring match
/// (SQLite's LIKE ignores ASCII case and treats % and _ as wildcards), the default BINARY collation, which already
/// orders by code point, and times as Unix milliseconds.
/// <para>
/// SQLite runs a correlated EXISTS once per candidate event and never turns it into a join, as PostgreSQL's planner
/// does: fine when the events with the name match often, slow when few do (a unique orderId over 1M events: every
/// one of them is tried, about 1 s). So a <paramref name="driver"/> can be given: a text equality every result must
/// satisfy, whose rows in the (key, value) index, already in event id order, drive the statement
/// (<c>event_properties d CROSS JOIN events e</c>, ordered and paged by <c>d.event_id</c>); the first page then
/// ends after a few matches have been read. <see cref="ChooseDriverAsync"/> decides whether that beats reading the
/// events by name.
/// </para>
/// </summary>
public sealed class SqliteEventSearchSql(SqliteParameterCollection parameters, Condition? driver = null) : EventSearchSql
{
    /// <summary>
    /// Matches sampled per side: how far, in event ids from where the page starts, the K-th match of a condition lies
    /// (and the K-th event with the name). 256 index entries are a few tens of microseconds.
    /// </summary>
    public const int Sample = 256;

    protected override string Columns => "e.id, e.name, e.external_id, e.properties, e.created_at, e.event_time, e.message, e.sent_at, e.time_clamped";

    protected override string OrderedValue => "p.value";

    protected override string Source => driver is null ? "events e" : "event_properties d CROSS JOIN events e";

    protected override string OrderId => driver is null ? "e.id" : "d.event_id";

    protected override string AddText(string value) => Add(SqliteType.Text, value);

    protected override string AddNumber(double value) => Add(SqliteType.Real, value);

    protected override string AddInteger(long value) => Add(SqliteType.Integer, value);

    protected override string AddTime(DateTimeOffset value) => Add(SqliteType.Integer, SqliteValues.ToUnixMs(value));

    // The only hole is a parameter placeholder such as $p3, never a value.
    protected override string Contains(string placeholder) => $"instr(p.value, {placeholder}) > 0";

    protected override void AppendSourceFilter(StringBuilder sql)
    {
        if (driver is not null)
        {
            // CROSS JOIN keeps d as the outer loop: SQLite does not reorder it.
            sql.Append(" AND e.id = d.event_id AND d.key = ").Append(AddText(driver.Key))
                .Append(" AND d.value = ").Append(AddText(driver.Value));
        }
    }

    protected override void AppendCondition(StringBuilder sql, Condition condition)
    {
        if (ReferenceEquals(condition, driver))
        {
            sql.Append("1 = 1"); // the join already holds it
            return;
        }

        base.AppendCondition(sql, condition);
    }

    /// <summary>
    /// The text equality that should drive <paramref name="query"/>, or null to read the events by name (or all).
    /// <para>
    /// Either plan reads candidates in id order from where the page starts until the page is full, and each candidate
    /// costs about the same (an index seek per other condition), so the plan that meets fewer candidates wins: the
    /// sparser side. Density is sampled where the page is read: the id distance from the page's start to the
    /// <see cref="Sample"/>-th match of each candidate condition, and to the <see cref="Sample"/>-th event with the
    /// name. The condition with the longest distance (fewest matches per id) drives, unless the name's events are
    /// sparser still; a side with fewer than <see cref="Sample"/> matches left is read whole for at most that many.
    /// </para>
    /// <para>
    /// The first version counted every candidate's matches up to 4,097 and, when all were broad, both sides up to
    /// 65,537: about 115,000 index entries for (g)'s three-condition search (category 5 % of 1M events), about 14 of
    /// its 17.6 ms of CPU, which capped it at 107 searches/s on two cores (380 with the sample; docs/performance.md, 4b). Measured over 1M events: a unique orderId 960 ms
    /// by name, 0.03 ms driven; category (5 %), price and sku, first page p95 47 ms by name, 11 ms driven.
    /// </para>
    /// </summary>
    public static async Task<Condition?> ChooseDriverAsync(SqliteReader reader, EventQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        Condition? best = null;
        long bestSpan = -1;
        long? start = null;
        foreach (var candidate in Candidates(query.Where))
        {
            start ??= await StartAsync(reader, query, cancellationToken);
            var span = await SpanAsync(reader, start.Value, Direction(query, "event_id", "SELECT event_id FROM event_properties WHERE key = $k AND value = $v"), candidate.Key, candidate.Value, cancellationToken);
            if (span > bestSpan)
            {
                (best, bestSpan) = (candidate, span);
            }
        }

        if (best is null || bestSpan == long.MaxValue || query.EventName is null)
        {
            return best;
        }

        var named = await SpanAsync(reader, start!.Value, Direction(query, "id", "SELECT id FROM events WHERE name = $k"), query.EventName, null, cancellationToken);
        return bestSpan > named ? best : null;
    }

    /// <summary>
    /// <paramref name="rows"/> (one id column named <paramref name="id"/>, parameters $k and $v) limited to ids
    /// after the page's start in its direction, in that order, with the <see cref="Sample"/>-th row picked.
    /// </summary>
    private static string Direction(EventQuery query, string id, string rows) => query.Descending
        ? $"{rows} AND {id} < $start ORDER BY {id} DESC LIMIT 1 OFFSET {Sample - 1}"
        : $"{rows} AND {id} > $start ORDER BY {id} LIMIT 1 OFFSET {Sample - 1}";

    /// <summary>
    /// How many ids from <paramref name="start"/> the <see cref="Sample"/>-th row of <paramref name="sql"/> lies, or
    /// <see cref="long.MaxValue"/> when there are fewer. The statement stays compiled on the reader.
    /// </summary>
    private static async Task<long> SpanAsync(SqliteReader reader, long start, string sql, string key, string? value, CancellationToken cancellationToken)
    {
        var command = reader.Statement(sql);
        command.Parameters.Add(new SqliteParameter("$k", SqliteType.Text) { Value = key });
        if (value is not null)
        {
            command.Parameters.Add(new SqliteParameter("$v", SqliteType.Text) { Value = value });
        }

        command.Parameters.Add(new SqliteParameter("$start", SqliteType.Integer) { Value = start });
        return await command.ExecuteScalarAsync(cancellationToken) is long id ? Math.Abs(id - start) : long.MaxValue;
    }

    /// <summary>
    /// Where the page starts: after its cursor, or just outside the stored ids (before the first, ascending; after the
    /// last, descending), so that distances are measured from the first event a page can hold.
    /// </summary>
    private static async Task<long> StartAsync(SqliteReader reader, EventQuery query, CancellationToken cancellationToken)
    {
        if (query.AfterId is { } after)
        {
            return after;
        }

        var command = reader.Statement(query.Descending ? "SELECT MAX(id) + 1 FROM events" : "SELECT MIN(id) - 1 FROM events");
        return await command.ExecuteScalarAsync(cancellationToken) is long start ? start : 0;
    }

    /// <summary>
    /// The conditions that may drive: text equalities that must hold for every result (the top-level AND chain). Under
    /// an OR a condition does not hold for every result. A numeric equality (price = 500) also matches the text "500"
    /// where no number was stored, which the (key, value) index alone does not answer.
    /// </summary>
    public static IEnumerable<Condition> Candidates(WhereExpression? where) => where switch
    {
        ConditionExpression { Condition: { Operator: ComparisonOperator.Equal, IsNumeric: false } condition } => [condition],
        JoinExpression { Operator: JoinOperator.And } join => Candidates(join.Left).Concat(Candidates(join.Right)),
        _ => [],
    };

    private string Add(SqliteType type, object value)
    {
        var name = "$p" + parameters.Count.ToString(CultureInfo.InvariantCulture);
        parameters.Add(new SqliteParameter(name, type) { Value = value });
        return name;
    }
}
