using Pulse.Core.Query;

namespace Pulse.Core.Tests.Query;

public sealed class WhereParserTests
{
    [Fact]
    public void A_single_condition_becomes_a_condition_expression()
    {
        var expression = WhereParser.Parse("action&buy&=&end");

        var condition = Assert.IsType<ConditionExpression>(expression).Condition;
        Assert.Equal(new Condition("action", ComparisonOperator.Equal, "buy", null, JoinOperator.End), condition);
    }

    [Theory]
    [InlineData("=", ComparisonOperator.Equal)]
    [InlineData("!=", ComparisonOperator.NotEqual)]
    [InlineData(">", ComparisonOperator.GreaterThan)]
    [InlineData(">=", ComparisonOperator.GreaterThanOrEqual)]
    [InlineData("<", ComparisonOperator.LessThan)]
    [InlineData("<=", ComparisonOperator.LessThanOrEqual)]
    [InlineData("like", ComparisonOperator.Like)]
    [InlineData("LIKE", ComparisonOperator.Like)]
    [InlineData("Like", ComparisonOperator.Like)]
    public void Every_single_pair_operation_is_recognised_case_insensitively(string token, ComparisonOperator expected)
    {
        var condition = Assert.IsType<ConditionExpression>(WhereParser.Parse($"k&v&{token}&end")).Condition;

        Assert.Equal(expected, condition.Operator);
    }

    [Fact]
    public void Between_takes_the_key_twice_and_keeps_both_bounds()
    {
        var condition = Assert.IsType<ConditionExpression>(WhereParser.Parse("price&10&price&20&BeTwEeN&END")).Condition;

        Assert.Equal(new Condition("price", ComparisonOperator.Between, "10", "20", JoinOperator.End), condition);
    }

    [Fact]
    public void Joins_nest_to_the_left_so_evaluation_is_left_to_right()
    {
        var expression = WhereParser.Parse("a&1&=&OR, b&2&=&And, c&3&=&end");

        var outer = Assert.IsType<JoinExpression>(expression);
        Assert.Equal(JoinOperator.And, outer.Operator);
        Assert.Equal("c", Assert.IsType<ConditionExpression>(outer.Right).Condition.Key);
        var inner = Assert.IsType<JoinExpression>(outer.Left);
        Assert.Equal(JoinOperator.Or, inner.Operator);
        Assert.Equal("a", Assert.IsType<ConditionExpression>(inner.Left).Condition.Key);
        Assert.Equal("b", Assert.IsType<ConditionExpression>(inner.Right).Condition.Key);
    }

    [Fact]
    public void Whitespace_around_conditions_is_ignored()
    {
        Assert.Equal(WhereParser.Parse("a&1&=&and,b&2&=&end"), WhereParser.Parse("  a&1&=&and,  \tb&2&=&end  "));
    }

    [Fact]
    public void Keys_and_values_are_otherwise_taken_verbatim()
    {
        var condition = Assert.IsType<ConditionExpression>(WhereParser.Parse("first name& kim min &=&end")).Condition;

        Assert.Equal("first name", condition.Key);
        Assert.Equal(" kim min ", condition.Value);
    }

    [Theory]
    [InlineData("=")]
    [InlineData("!=")]
    [InlineData(">")]
    [InlineData("like")]
    public void An_empty_value_is_allowed(string op)
    {
        var condition = Assert.IsType<ConditionExpression>(WhereParser.Parse($"k&&{op}&end")).Condition;

        Assert.Equal("", condition.Value);
        Assert.False(condition.IsNumeric);
    }

    [Fact]
    public void Twenty_conditions_are_allowed()
    {
        var where = string.Concat(Enumerable.Repeat("k&1&=&and,", 19)) + "k&1&=&end";

        Assert.True(WhereParser.TryParse(where, out var expression, out var error));
        Assert.NotNull(expression);
        Assert.Null(error);
    }

    [Fact]
    public void Parse_throws_a_syntax_exception_carrying_the_error()
    {
        var exception = Assert.Throws<WhereSyntaxException>(() => WhereParser.Parse("a&1&=&and,b&2&lik&end"));

        Assert.Equal(new WhereParseError(2, 14, "unknown operation 'lik'; expected one of =, !=, >, >=, <, <=, like, between"), exception.Error);
        Assert.Equal("condition 2 (at character 14): unknown operation 'lik'; expected one of =, !=, >, >=, <, <=, like, between", exception.Message);
    }
}
