using Pulse.Core.Query;

namespace Pulse.Core.Tests.Query;

public sealed class ConditionTests
{
    [Fact]
    public void A_condition_is_numeric_when_all_its_values_are_numbers()
    {
        var between = new Condition("price", ComparisonOperator.Between, "10", "20.5", JoinOperator.End);

        Assert.True(between.IsNumeric);
        Assert.Equal(10, between.NumericValue);
        Assert.Equal(20.5, between.NumericUpperValue);
    }

    [Fact]
    public void One_non_numeric_bound_makes_the_whole_condition_a_string_comparison()
    {
        var between = new Condition("price", ComparisonOperator.Between, "10", "abc", JoinOperator.End);

        Assert.False(between.IsNumeric);
        Assert.Throws<InvalidOperationException>(() => between.NumericValue);
    }

    [Fact]
    public void A_single_value_condition_has_no_upper_value()
    {
        var equal = new Condition("price", ComparisonOperator.Equal, "10", null, JoinOperator.End);

        Assert.True(equal.IsNumeric);
        Assert.Null(equal.NumericUpperValue);
    }

    [Fact]
    public void Numeric_form_follows_a_with_copy()
    {
        var equal = new Condition("price", ComparisonOperator.Equal, "10", null, JoinOperator.End) with { Value = "abc" };

        Assert.False(equal.IsNumeric);
    }

    [Fact]
    public void Between_without_an_upper_value_cannot_be_built()
    {
        Assert.Throws<ArgumentException>(() => new Condition("price", ComparisonOperator.Between, "10", null, JoinOperator.End));
        Assert.Throws<ArgumentException>(() => new Condition("price", ComparisonOperator.Equal, "10", "20", JoinOperator.End));
    }

    [Fact]
    public void An_empty_key_cannot_be_built()
    {
        Assert.Throws<ArgumentException>(() => new Condition("", ComparisonOperator.Equal, "10", null, JoinOperator.End));
    }

    [Fact]
    public void Only_and_or_can_join_two_expressions()
    {
        var condition = new ConditionExpression(new Condition("a", ComparisonOperator.Equal, "1", null, JoinOperator.End));

        Assert.Throws<ArgumentOutOfRangeException>(() => new JoinExpression(condition, JoinOperator.End, condition));
    }
}
