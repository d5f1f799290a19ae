using Pulse.Core.Tracking;

namespace Pulse.Core.Tests.Tracking;

public sealed class TrackedEventValidatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 5, 21, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("page_view", TrackedEventType.PageView)]
    [InlineData("Search", TrackedEventType.Search)]
    [InlineData(" CLICK ", TrackedEventType.Click)]
    [InlineData("like", TrackedEventType.Like)]
    [InlineData("uNlIkE", TrackedEventType.Unlike)]
    public void Event_types_parse_case_insensitively(string text, TrackedEventType expected)
    {
        Assert.True(TrackedEventTypes.TryParse(text, out var type));
        Assert.Equal(expected, type);
        Assert.True(TrackedEventTypes.TryParse(type.ToWire(), out var again));
        Assert.Equal(type, again);
    }

    [Fact]
    public void A_valid_search_keeps_its_fields_trims_the_keyword_and_takes_the_given_time()
    {
        var outcome = TrackedEventValidator.Validate(
            new TrackedEventInput("search", 7, "s-1", new TrackedEventMetadataInput(1001, "box", "  고양이 ", null)), Now);

        Assert.Equal(OutcomeKind.Ok, outcome.Kind);
        Assert.Equal(new TrackedEvent(TrackedEventType.Search, 7, "s-1", 1001, "box", "고양이", null, Now), outcome.Value);
    }

    [Fact]
    public void Every_broken_rule_is_reported_at_once()
    {
        var outcome = TrackedEventValidator.Validate(
            new TrackedEventInput("LIKE", null, " ", new TrackedEventMetadataInput(0, "", null, null)), Now);

        Assert.Equal(OutcomeKind.Invalid, outcome.Kind);
        Assert.Equal(
            ["metadata.componentId", "metadata.elementId", "metadata.postId", "sessionId", "userId"],
            outcome.Errors!.ToDictionary().Keys.Order(StringComparer.Ordinal));
    }
}
