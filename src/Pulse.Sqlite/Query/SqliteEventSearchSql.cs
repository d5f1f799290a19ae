using System.Globalization;
using Microsoft.Data.Sqlite;
using Pulse.Core.Query;

namespace Pulse.Sqlite.Query;

/// <summary>
/// The event search in SQLite: typed parameters <c>$p0</c>, <c>$p1</c>, ..., <c>instr</c> for the substring match
/// (SQLite's LIKE ignores ASCII case and treats % and _ as wildcards), the default BINARY collation, which already
/// orders by code point, and times as Unix milliseconds.
/// </summary>
public sealed class SqliteEventSearchSql(SqliteParameterCollection parameters) : EventSearchSql
{
    protected override string Columns => "e.id, e.name, e.external_id, e.properties, e.created_at";

    protected override string OrderedValue => "p.value";

    protected override string AddText(string value) => Add(SqliteType.Text, value);

    protected override string AddNumber(double value) => Add(SqliteType.Real, value);

    protected override string AddInteger(long value) => Add(SqliteType.Integer, value);

    protected override string AddTime(DateTimeOffset value) => Add(SqliteType.Integer, SqliteValues.ToUnixMs(value));

    // The only hole is a parameter placeholder such as $p3, never a value.
    protected override string Contains(string placeholder) => $"instr(p.value, {placeholder}) > 0";

    private string Add(SqliteType type, object value)
    {
        var name = "$p" + parameters.Count.ToString(CultureInfo.InvariantCulture);
        parameters.Add(new SqliteParameter(name, type) { Value = value });
        return name;
    }
}
