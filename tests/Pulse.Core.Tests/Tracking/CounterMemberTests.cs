using Pulse.Core.Tracking;

namespace Pulse.Core.Tests.Tracking;

public sealed class CounterMemberTests
{
    [Fact]
    public void Members_follow_the_spec_layout_for_each_type()
    {
        Assert.Equal("component:1000", CounterMember.For(TrackedEventType.PageView, 1000, postId: 7, keyword: "ignored").ToString());
        Assert.Equal("component:1002", CounterMember.For(TrackedEventType.Click, 1002, null, null).ToString());
        Assert.Equal("component:1003:post:42", CounterMember.For(TrackedEventType.Like, 1003, 42, "ignored").ToString());
        Assert.Equal("component:1003:post:42", CounterMember.For(TrackedEventType.Unlike, 1003, 42, null).ToString());
        Assert.Equal("component:1001:keyword:고양이", CounterMember.For(TrackedEventType.Search, 1001, 9, "고양이").ToString());
        Assert.Equal("component:1001:keyword:고양이", CounterMember.For(TrackedEventType.Search, 1001, null, " 고양이\t").ToString());
    }

    [Theory]
    [InlineData("component:5")]
    [InlineData("component:5:post:77")]
    [InlineData("component:5:keyword:cat")]
    [InlineData("component:5:keyword:a:b:post:1")]
    [InlineData("component:9223372036854775807:keyword:강아지 🐶")]
    public void Members_parse_back_to_themselves(string text)
    {
        Assert.True(CounterMember.TryParse(text, out var member));
        Assert.Equal(text, member.ToString());
    }

    [Fact]
    public void A_keyword_may_contain_colons_and_look_like_a_post()
    {
        Assert.True(CounterMember.TryParse("component:5:keyword:x:post:3", out var member));
        Assert.Equal(new CounterMember(5, Keyword: "x:post:3"), member);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("component:")]
    [InlineData("component:-1")]
    [InlineData("component:abc")]
    [InlineData("component:5:")]
    [InlineData("component:5:post:")]
    [InlineData("component:5:post:x")]
    [InlineData("component:5:keyword:")]
    [InlineData("component:5:other:1")]
    [InlineData("comp:5")]
    public void Malformed_members_do_not_parse(string? text) => Assert.False(CounterMember.TryParse(text, out _));
}
