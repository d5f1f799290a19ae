using static Pulse.Core.Tests.Query.Where;

namespace Pulse.Core.Tests.Query;

/// <summary>The reference evaluator is the oracle the SQL translators must agree with.</summary>
public sealed class WhereSemanticsTests
{
    [Theory]
    [InlineData("=", "10", true)]
    [InlineData("=", "11", false)]
    [InlineData("!=", "11", true)]
    [InlineData("!=", "10", false)]
    [InlineData(">", "11", true)]
    [InlineData(">", "10", false)]
    [InlineData(">=", "10", true)]
    [InlineData(">=", "9", false)]
    [InlineData("<", "9", true)]
    [InlineData("<", "10", false)]
    [InlineData("<=", "10", true)]
    [InlineData("<=", "11", false)]
    public void Every_comparison_works_on_numbers(string op, string stored, bool expected)
    {
        Assert.Equal(expected, Matches($"n&10&{op}&end", ("n", stored)));
    }

    [Theory]
    [InlineData("=", "abc", true)]
    [InlineData("=", "abd", false)]
    [InlineData("!=", "abd", true)]
    [InlineData("!=", "abc", false)]
    [InlineData(">", "abd", true)]
    [InlineData(">", "ab", false)]
    [InlineData(">=", "abc", true)]
    [InlineData(">=", "abb", false)]
    [InlineData("<", "ab", true)]
    [InlineData("<", "abd", false)]
    [InlineData("<=", "abc", true)]
    [InlineData("<=", "abd", false)]
    [InlineData("like", "xabcx", true)]
    [InlineData("like", "ab c", false)]
    public void Every_comparison_works_on_strings(string op, string stored, bool expected)
    {
        Assert.Equal(expected, Matches($"s&abc&{op}&end", ("s", stored)));
    }

    [Fact]
    public void Numbers_compare_numerically_not_as_text()
    {
        Assert.True(Matches("n&9&>&end", ("n", "10")));
        Assert.True(Matches("n&-2.5&<&end", ("n", "-3")));
        Assert.True(Matches("n&10.0&=&end", ("n", "10")));
        Assert.True(Matches("n&10&=&end", ("n", "010")));
        Assert.False(Matches("n&10&!=&end", ("n", "10.00")));
    }

    [Fact]
    public void Numeric_looking_text_in_a_string_condition_compares_as_text()
    {
        Assert.True(Matches("s&abc&<&end", ("s", "10")));
        Assert.True(Matches("s&9x&<&end", ("s", "10")));
        Assert.False(Matches("s&9x&>&end", ("s", "10")));
    }

    [Fact]
    public void A_numeric_condition_against_a_non_numeric_stored_value_falls_back_to_text()
    {
        Assert.True(Matches("n&10&>&end", ("n", "abc")));
        Assert.True(Matches("n&5&<&end", ("n", "1a")));
        Assert.False(Matches("n&10&=&end", ("n", "10.")));
        Assert.True(Matches("n&10&!=&end", ("n", "ten")));
    }

    [Fact]
    public void Between_is_inclusive_on_both_bounds()
    {
        const string where = "price&10&price&20&between&end";

        Assert.True(Matches(where, ("price", "10")));
        Assert.True(Matches(where, ("price", "15.5")));
        Assert.True(Matches(where, ("price", "20")));
        Assert.False(Matches(where, ("price", "9.99")));
        Assert.False(Matches(where, ("price", "20.01")));
        Assert.False(Matches(where, ("price", "100")));
    }

    [Fact]
    public void Between_on_strings_is_inclusive_and_ordinal()
    {
        const string where = "grade&b&grade&d&between&end";

        Assert.True(Matches(where, ("grade", "b")));
        Assert.True(Matches(where, ("grade", "cz")));
        Assert.True(Matches(where, ("grade", "d")));
        Assert.False(Matches(where, ("grade", "da")));
        Assert.False(Matches(where, ("grade", "a")));
        Assert.False(Matches(where, ("grade", "C")));
    }

    [Fact]
    public void Between_with_one_non_numeric_bound_compares_as_text()
    {
        // Numerically 5 is below 10; as text "10" <= "5" <= "abc".
        Assert.True(Matches("v&10&v&abc&between&end", ("v", "5")));
    }

    [Fact]
    public void Between_with_reversed_bounds_matches_nothing()
    {
        Assert.False(Matches("price&20&price&10&between&end", ("price", "15")));
    }

    [Fact]
    public void String_comparisons_are_case_sensitive()
    {
        Assert.False(Matches("action&buy&=&end", ("action", "BUY")));
        Assert.True(Matches("action&buy&!=&end", ("action", "Buy")));
        Assert.False(Matches("name&kim&like&end", ("name", "KIM MIN")));
        Assert.True(Matches("name&a&<&end", ("name", "B")));
    }

    [Fact]
    public void Like_treats_percent_and_underscore_as_literal_characters()
    {
        Assert.True(Matches("promo&50%&like&end", ("promo", "save 50% now")));
        Assert.False(Matches("promo&50%&like&end", ("promo", "save 500 now")));
        Assert.True(Matches("code&a_c&like&end", ("code", "xa_cx")));
        Assert.False(Matches("code&a_c&like&end", ("code", "abc")));
        Assert.False(Matches("code&%&like&end", ("code", "abc")));
    }

    [Fact]
    public void Like_is_a_substring_match_even_for_numbers()
    {
        Assert.True(Matches("n&10&like&end", ("n", "2100")));
        Assert.True(Matches("n&10&like&end", ("n", "10.0")));
        Assert.False(Matches("n&10.0&like&end", ("n", "10")));
    }

    [Theory]
    [InlineData("=")]
    [InlineData("!=")]
    [InlineData(">")]
    [InlineData("<=")]
    [InlineData("like")]
    public void An_event_without_the_key_matches_no_operation(string op)
    {
        Assert.False(Matches($"color&red&{op}&end", ("size", "red")));
    }

    [Fact]
    public void Between_does_not_match_an_event_without_the_key()
    {
        Assert.False(Matches("price&10&price&20&between&end", ("cost", "15")));
    }

    [Fact]
    public void An_empty_value_compares_as_an_empty_string()
    {
        Assert.True(Matches("note&&=&end", ("note", "")));
        Assert.False(Matches("note&&=&end", ("note", "x")));
        Assert.True(Matches("note&&>&end", ("note", "x")));
        Assert.True(Matches("note&&like&end", ("note", "anything")));
    }

    [Theory]
    [InlineData(false, false, true, true)]
    [InlineData(true, true, false, true)]
    [InlineData(true, false, false, false)]
    [InlineData(false, true, false, false)]
    public void And_then_or_groups_the_first_two(bool c1, bool c2, bool c3, bool expected)
    {
        Assert.Equal(expected, Matches("a&1&=&and, b&1&=&or, c&1&=&end", Flags(c1, c2, c3)));
    }

    [Fact]
    public void Or_then_and_is_evaluated_left_to_right_not_by_precedence()
    {
        // (a OR b) AND c is false here; the precedence reading a OR (b AND c) would be true.
        Assert.False(Matches("a&1&=&or, b&1&=&and, c&1&=&end", Flags(true, false, false)));
        Assert.True(Matches("a&1&=&or, b&1&=&and, c&1&=&end", Flags(true, false, true)));
    }

    [Fact]
    public void A_long_chain_folds_from_the_left()
    {
        // ((((a OR b) AND c) OR d) AND e): d rescues the false AND, then e decides.
        const string where = "a&1&=&or,b&1&=&and,c&1&=&or,d&1&=&and,e&1&=&end";

        Assert.True(Matches(where, ("a", "1"), ("d", "1"), ("e", "1")));
        Assert.False(Matches(where, ("a", "1"), ("b", "1"), ("c", "1"), ("d", "1")));
    }

    [Fact]
    public void Korean_and_emoji_keys_and_values_work()
    {
        Assert.True(Matches("상품&사과&=&end", ("상품", "사과")));
        Assert.True(Matches("이름&민&like&end", ("이름", "김민수")));
        Assert.True(Matches("🎉&🍏&like&end", ("🎉", "🍎🍏🍐")));
        Assert.True(Matches("상품&가&상품&다&between&end", ("상품", "나")));
        Assert.False(Matches("상품&사과&=&end", ("상품", "배")));
    }

    [Fact]
    public void Strings_order_by_code_point_like_the_databases_do()
    {
        // U+1F600 sorts after U+FF01 by code point (and in UTF-8), though its UTF-16 surrogates sort before.
        Assert.True(Matches("v&！&>&end", ("v", "😀")));
        Assert.True(Matches("v&😀&<&end", ("v", "！")));
        Assert.True(Matches("v&😀&>&end", ("v", "😁")));
        Assert.True(Matches("v&😀&<&end", ("v", "가")));
    }

    [Fact]
    public void Sql_looking_values_are_only_data()
    {
        Assert.False(Matches("name&' OR 1=1 --&=&end", ("name", "kim")));
        Assert.True(Matches("name&' OR 1=1 --&=&end", ("name", "' OR 1=1 --")));
        Assert.True(Matches("x' OR '1'='1&\"; DROP TABLE events; --&=&end", ("x' OR '1'='1", "\"; DROP TABLE events; --")));
        Assert.False(Matches("name&'%&like&end", ("name", "kim")));
    }

    private static (string, string)[] Flags(bool a, bool b, bool c) =>
        [("a", a ? "1" : "0"), ("b", b ? "1" : "0"), ("c", c ? "1" : "0")];
}
