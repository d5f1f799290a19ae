using Pulse.Core.Sdk;

namespace Pulse.Core.Tests.Sdk;

public sealed class SdkTimeTests
{
    private static readonly DateTimeOffset Received = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void With_timestamp_and_sent_at_the_client_clocks_offset_is_removed()
    {
        // The client's clock is an hour fast; the event happened 5 minutes before the batch was sent.
        var (time, clamped) = SdkTime.EventTime(Received, Received.AddHours(1).AddMinutes(-5), Received.AddHours(1));

        Assert.Equal(Received.AddMinutes(-5), time);
        Assert.False(clamped);
    }

    [Fact]
    public void A_timestamp_alone_is_taken_as_it_is_even_days_back()
    {
        Assert.Equal((Received.AddDays(-30), false), SdkTime.EventTime(Received, Received.AddDays(-30), null));
    }

    [Fact]
    public void Without_a_timestamp_the_event_time_is_the_receive_time()
    {
        Assert.Equal((Received, false), SdkTime.EventTime(Received, null, Received.AddHours(3)));
    }

    [Fact]
    public void More_than_a_day_ahead_is_clamped_to_the_receive_time_and_a_day_is_not()
    {
        Assert.Equal((Received, true), SdkTime.EventTime(Received, Received.AddDays(1).AddSeconds(1), null));
        Assert.Equal((Received.AddDays(1), false), SdkTime.EventTime(Received, Received.AddDays(1), null));
    }
}
