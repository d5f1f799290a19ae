using System.Globalization;
using System.Text;
using Npgsql;
using NpgsqlTypes;
using Pulse.Core.Query;

namespace Pulse.Postgres.Query;

/// <summary>
/// The event search in PostgreSQL: typed positional parameters (<c>$n</c>, the n-th parameter of the command),
/// <c>strpos</c> for a literal case-sensitive substring match, <c>COLLATE "C"</c> for code-point ordering whatever
/// the database's default collation, and the event name's id range as a planner hint.
/// </summary>
public sealed class PostgresEventSearchSql(NpgsqlParameterCollection parameters) : EventSearchSql
{
    protected override string Columns => "e.id, e.name, e.external_id, e.properties::text, e.created_at, e.event_time, e.message::text, e.sent_at, e.time_clamped";

    protected override string OrderedValue => "p.value COLLATE \"C\"";

    protected override string AddText(string value) => Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = value });

    protected override string AddNumber(double value) => Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Double, Value = value });

    protected override string AddInteger(long value) => Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bigint, Value = value });

    protected override string AddTime(DateTimeOffset value) => Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = value });

    // The only hole is a parameter placeholder such as $7, never a value.
    protected override string Contains(string placeholder) => $"strpos(p.value, {placeholder}) > 0";

    /// <summary>
    /// The name's id range, implied by the equality: two probes of (name, id). Without it, a plan that walks the
    /// primary key in id order (chosen when every column is needed from the heap anyway) assumes the name is spread
    /// evenly over all ids and scans every older event of other names first: measured 540 ms instead of 5.7 ms for
    /// 1M "purchase" events stored after 2.4M others.
    /// </summary>
    protected override void AppendNameFilter(StringBuilder sql, string name)
    {
        base.AppendNameFilter(sql, name);
        sql.Append(" AND e.id BETWEEN (SELECT min(id) FROM events WHERE name = ").Append(name)
            .Append(") AND (SELECT max(id) FROM events WHERE name = ").Append(name).Append(')');
    }

    // Unnamed parameters are positional in Npgsql: the n-th one in the collection is $n.
    private string Add(NpgsqlParameter parameter)
    {
        parameters.Add(parameter);
        return "$" + parameters.Count.ToString(CultureInfo.InvariantCulture);
    }
}
