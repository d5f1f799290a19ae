using System.Globalization;
using System.Text;
using Npgsql;
using NpgsqlTypes;
using Pulse.Core.Query;

namespace Pulse.Postgres.Query;

/// <summary>
/// The where DSL in PostgreSQL: typed positional parameters (<c>$n</c>, numbered after those already in the
/// collection, so the caller must use positional parameters too), <c>strpos</c> for a literal case-sensitive
/// substring match, and <c>COLLATE "C"</c> for code-point ordering whatever the database's default collation.
/// </summary>
public sealed class EventWhereSql(NpgsqlParameterCollection parameters) : WhereSqlWriter
{
    protected override string OrderedValue => "p.value COLLATE \"C\"";

    public static void Append(StringBuilder sql, NpgsqlParameterCollection parameters, WhereExpression expression) =>
        new EventWhereSql(parameters).Append(sql, expression);

    protected override string AddText(string value) => Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = value });

    protected override string AddNumber(double value) => Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Double, Value = value });

    // The only hole is a parameter placeholder such as $7, never a value.
    protected override string Contains(string placeholder) => $"strpos(p.value, {placeholder}) > 0";

    // Unnamed parameters are positional in Npgsql: the n-th one in the collection is $n.
    private string Add(NpgsqlParameter parameter)
    {
        parameters.Add(parameter);
        return "$" + parameters.Count.ToString(CultureInfo.InvariantCulture);
    }
}
