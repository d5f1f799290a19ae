using Pulse.Core.Posts;
using Pulse.Core.Validation;

namespace Pulse.Core.Tests.Posts;

public sealed class HashtagsTests
{
    [Theory]
    [InlineData("고양이", "고양이")]
    [InlineData("#고양이", "고양이")]
    [InlineData("  #강아지  ", "강아지")]
    [InlineData("# cat", "cat")]
    [InlineData("##cat", "#cat")]
    [InlineData("Cat", "Cat")]
    public void A_tag_is_trimmed_and_loses_one_leading_hash(string raw, string expected) =>
        Assert.Equal(expected, Hashtags.Normalise(raw));

    [Fact]
    public void Validated_tags_keep_their_order_and_drop_duplicates_after_normalising()
    {
        var errors = new ValidationErrors();

        var tags = Hashtags.Validate(errors, "hashtags", ["#고양이", "강아지", " 고양이 ", "Cat", "cat"]);

        Assert.True(errors.IsEmpty);
        Assert.Equal(["고양이", "강아지", "Cat", "cat"], tags);
    }

    [Fact]
    public void Twenty_tags_are_allowed_and_twenty_one_are_not()
    {
        var ok = new ValidationErrors();
        Assert.Equal(20, Hashtags.Validate(ok, "hashtags", [.. Enumerable.Range(0, 20).Select(i => "t" + i)]).Count);
        Assert.True(ok.IsEmpty);

        var tooMany = new ValidationErrors();
        Hashtags.Validate(tooMany, "hashtags", [.. Enumerable.Range(0, 21).Select(i => "t" + i)]);
        Assert.Contains("hashtags", tooMany.ToDictionary().Keys);
    }

    [Fact]
    public void A_tag_has_one_to_fifty_characters_after_normalising()
    {
        var errors = new ValidationErrors();

        var tags = Hashtags.Validate(errors, "hashtags", ["#" + new string('냥', 50), new string('냥', 51), "#", "   ", null, "a\tb"]);

        Assert.Equal([new string('냥', 50)], tags);
        Assert.Equal(["hashtags[1]", "hashtags[2]", "hashtags[3]", "hashtags[4]", "hashtags[5]"], errors.ToDictionary().Keys.Order());
    }

    [Fact]
    public void No_hashtags_is_an_empty_list()
    {
        var errors = new ValidationErrors();

        Assert.Empty(Hashtags.Validate(errors, "hashtags", null));
        Assert.True(errors.IsEmpty);
    }
}
