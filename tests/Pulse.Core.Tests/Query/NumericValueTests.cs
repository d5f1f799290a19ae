using Pulse.Core.Query;

namespace Pulse.Core.Tests.Query;

public sealed class NumericValueTests
{
    [Theory]
    [InlineData("0", 0)]
    [InlineData("10", 10)]
    [InlineData("-3", -3)]
    [InlineData("10.5", 10.5)]
    [InlineData("-0.25", -0.25)]
    [InlineData("007", 7)]
    public void Integers_and_decimals_with_an_optional_minus_are_numeric(string text, double expected)
    {
        Assert.True(NumericValue.TryParse(text, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-")]
    [InlineData("1.")]
    [InlineData(".5")]
    [InlineData("+1")]
    [InlineData("1e5")]
    [InlineData(" 1")]
    [InlineData("1 ")]
    [InlineData("1,000")]
    [InlineData("1.2.3")]
    [InlineData("--1")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("0x10")]
    [InlineData("10\n")]
    [InlineData("١٢")]
    public void Anything_else_is_not_numeric(string text)
    {
        Assert.False(NumericValue.TryParse(text, out var value));
        Assert.Equal(0, value);
    }
}
