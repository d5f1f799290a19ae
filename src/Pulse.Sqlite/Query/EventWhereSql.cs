using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Pulse.Core.Query;

namespace Pulse.Sqlite.Query;

/// <summary>
/// The where DSL in SQLite: typed parameters named <c>$w0</c>, <c>$w1</c>, ... (a prefix the caller must not
/// use), <c>instr</c> for the substring match (SQLite's LIKE ignores ASCII case and treats % and _ as
/// wildcards), and the default BINARY collation, which already orders by code point.
/// </summary>
public sealed class EventWhereSql(SqliteParameterCollection parameters) : WhereSqlWriter
{
    protected override string OrderedValue => "p.value";

    public static void Append(StringBuilder sql, SqliteParameterCollection parameters, WhereExpression expression) =>
        new EventWhereSql(parameters).Append(sql, expression);

    protected override string AddText(string value) => Add(SqliteType.Text, value);

    protected override string AddNumber(double value) => Add(SqliteType.Real, value);

    // The only hole is a parameter placeholder such as $w3, never a value.
    protected override string Contains(string placeholder) => $"instr(p.value, {placeholder}) > 0";

    private string Add(SqliteType type, object value)
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
