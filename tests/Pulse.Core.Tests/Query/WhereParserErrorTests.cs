namespace Pulse.Core.Tests.Query;

/// <summary>Every malformed input names the 1-based condition and the 0-based offset of the offending part.</summary>
public sealed class WhereParserErrorTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Empty_input_is_an_error(string? where)
    {
        Assert.Equal("condition 1 (at character 0): the where expression is empty", Where.Error(where).Message);
    }

    [Theory]
    [InlineData("a&1&=&and,,b&2&=&end", 10)]
    [InlineData("a&1&=&and,", 10)]
    [InlineData("a&1&=&and,  ", 12)]
    public void An_empty_condition_is_an_error(string where, int position)
    {
        Assert.Equal($"condition 2 (at character {position}): the condition is empty", Where.Error(where).Message);
    }

    [Fact]
    public void Too_few_parts_is_an_error_at_the_start_of_the_condition()
    {
        Assert.Equal(
            "condition 2 (at character 12): expected key&value&operation&join but found 3 parts",
            Where.Error("a&1&=&and,  b&2&end").Message);
    }

    [Fact]
    public void A_condition_without_ampersands_is_one_part()
    {
        Assert.Equal("condition 1 (at character 0): expected key&value&operation&join but found 1 part", Where.Error("action").Message);
    }

    [Fact]
    public void An_unknown_operation_is_an_error_at_the_operation()
    {
        Assert.Equal(
            "condition 2 (at character 14): unknown operation 'lik'; expected one of =, !=, >, >=, <, <=, like, between",
            Where.Error("a&1&=&and,b&2&lik&end").Message);
    }

    [Fact]
    public void Operation_look_alikes_outside_ascii_are_unknown()
    {
        Assert.Equal(4, Where.Error("a&1&lıke&end").Position);
    }

    [Fact]
    public void Operations_are_not_trimmed()
    {
        Assert.Equal("condition 1 (at character 4): unknown operation ' = '; expected one of =, !=, >, >=, <, <=, like, between", Where.Error("a&1& = &end").Message);
    }

    [Fact]
    public void An_unknown_join_is_an_error_at_the_join()
    {
        Assert.Equal(
            "condition 1 (at character 6): unknown join 'andd'; expected one of and, or, end",
            Where.Error("a&1&=&andd,b&2&=&end").Message);
    }

    [Theory]
    [InlineData("a&1&b&2&=&end", "operation '=' takes one key&value pair: key&value&=&join (4 parts) but found 6 parts")]
    [InlineData("a&1&2&like&end", "operation 'like' takes one key&value pair: key&value&like&join (4 parts) but found 5 parts")]
    [InlineData("price&10&between&end", "operation 'between' takes key&low&key&high&between&join (6 parts) but found 4 parts")]
    [InlineData("price&10&price&20&30&between&end", "operation 'between' takes key&low&key&high&between&join (6 parts) but found 7 parts")]
    public void Wrong_arity_for_the_operation_is_an_error_at_the_start_of_the_condition(string where, string reason)
    {
        Assert.Equal($"condition 2 (at character 10): {reason}", Where.Error("x&1&=&and," + where).Message);
    }

    [Fact]
    public void Between_requires_the_same_key_twice()
    {
        Assert.Equal(
            "condition 1 (at character 9): 'between' needs the same key twice but found 'price' and 'cost'",
            Where.Error("price&10&cost&20&between&end").Message);
    }

    [Fact]
    public void Between_keys_are_compared_case_sensitively()
    {
        Assert.Equal(9, Where.Error("price&10&Price&20&between&end").Position);
    }

    [Theory]
    [InlineData("&1&=&end", 1, 0)]
    [InlineData("a&1&=&or, &1&=&end", 2, 10)]
    [InlineData("&1&&2&between&end", 1, 0)]
    [InlineData("price&1&&2&between&end", 1, 8)]
    public void An_empty_key_is_an_error_at_the_key(string where, int condition, int position)
    {
        Assert.Equal(new Pulse.Core.Query.WhereParseError(condition, position, "the key is empty"), Where.Error(where));
    }

    [Fact]
    public void Only_the_last_condition_may_end_with_end()
    {
        Assert.Equal(
            "condition 1 (at character 6): only the last condition may end with 'end'; use 'and' or 'or' to join condition 2",
            Where.Error("a&1&=&end,b&2&=&end").Message);
    }

    [Theory]
    [InlineData("a&1&=&and", 1, 6, "and")]
    [InlineData("a&1&=&and,b&2&=&OR", 2, 16, "OR")]
    public void The_last_condition_must_end_with_end(string where, int condition, int position, string join)
    {
        Assert.Equal(
            $"condition {condition} (at character {position}): the last condition must end with 'end' but ends with '{join}'",
            Where.Error(where).Message);
    }

    [Fact]
    public void More_than_twenty_conditions_is_an_error_at_the_twenty_first()
    {
        var where = string.Concat(Enumerable.Repeat("k&1&=&and,", 20)) + "k&1&=&end";

        Assert.Equal("condition 21 (at character 200): too many conditions; at most 20 are allowed", Where.Error(where).Message);
    }

    [Fact]
    public void The_first_error_from_the_left_is_reported()
    {
        Assert.Equal(1, Where.Error("a&1&zz&and,b&2&yy&end").ConditionNumber);
    }

    [Fact]
    public void Long_tokens_are_shortened_in_the_message()
    {
        var reason = Where.Error("a&1&" + new string('x', 500) + "&end").Reason;

        Assert.Equal($"unknown operation '{new string('x', 40)}…'; expected one of =, !=, >, >=, <, <=, like, between", reason);
    }
}
