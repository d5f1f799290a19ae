using Microsoft.Data.Sqlite;
using Pulse.Core.Events;
using Pulse.Core.Query;
using Pulse.Sqlite.Query;

namespace Pulse.Api.Tests.Sqlite;

/// <summary>
/// Which conditions the embedded search lets drive it: text equalities every result must satisfy are probed, and
/// the selective ones are written as IN lists over the (key, value) index, the rest as correlated EXISTS.
/// </summary>
public sealed class SqliteEventSearchSqlTests
{
    [Fact]
    public void Only_text_equalities_in_the_top_level_and_chain_are_probed()
    {
        // Left-deep, as the parser builds it: ((((category = a OR category = b) AND orderId = ord-1) AND price = 500) AND sku like 12).
        var where = WhereParser.Parse("category&a&=&or, category&b&=&and, orderId&ord-1&=&and, price&500&=&and, sku&12&like&end");

        var candidates = SqliteEventSearchSql.Candidates(where).Select(c => c.Key + "=" + c.Value);

        // orderId = ord-1 must hold for every result; the category equalities sit under the OR; price = 500 is
        // numeric; sku is a substring.
        Assert.Equal(["orderId=ord-1"], candidates);
    }

    [Fact]
    public void A_selective_condition_is_an_in_list_and_the_others_stay_correlated()
    {
        var where = WhereParser.Parse("orderId&ord-1&=&and, category&cat-3&=&end");
        var orderId = SqliteEventSearchSql.Candidates(where).First(c => c.Key == "orderId");
        using var command = new SqliteCommand();

        var sql = new SqliteEventSearchSql(command.Parameters, new HashSet<Condition>([orderId])).Write(
            new EventQuery("purchase", where, null, null, null, 100, Descending: false));

        Assert.Contains("e.id IN (SELECT p.event_id FROM event_properties p WHERE p.key = ", sql, StringComparison.Ordinal);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(sql, "EXISTS"));
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(sql, " IN \\("));
    }
}
