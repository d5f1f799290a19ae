using Microsoft.Data.Sqlite;
using Pulse.Core.Events;
using Pulse.Core.Query;
using Pulse.Sqlite.Query;

namespace Pulse.Api.Tests.Sqlite;

/// <summary>
/// Which conditions may drive the embedded search (text equalities every result must satisfy) and how a driven
/// statement reads: the driver's index rows in event id order, the other conditions as correlated EXISTS.
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
    public void A_driving_equality_is_read_from_its_index_in_id_order_and_the_others_stay_correlated()
    {
        var where = WhereParser.Parse("orderId&ord-1&=&and, category&cat-3&=&end");
        var orderId = SqliteEventSearchSql.Candidates(where).First(c => c.Key == "orderId");
        using var command = new SqliteCommand();

        var sql = new SqliteEventSearchSql(command.Parameters, orderId).Write(
            new EventQuery("purchase", where, null, null, AfterId: 42, 100, Descending: true));

        Assert.Contains("FROM event_properties d CROSS JOIN events e WHERE 1 = 1 AND e.id = d.event_id AND d.key = ", sql, StringComparison.Ordinal);
        Assert.Contains("d.event_id < ", sql, StringComparison.Ordinal);
        Assert.EndsWith("ORDER BY d.event_id DESC LIMIT $p" + (command.Parameters.Count - 1), sql, StringComparison.Ordinal);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(sql, "EXISTS")); // category only
    }
}
