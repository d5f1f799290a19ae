using System.Net;
using Pulse.Api.Tests.Infrastructure;

namespace Pulse.Api.Tests.Sdk;

/// <summary>The SDK endpoints draw on the ingest rate limit: over it, 429 with Retry-After, which the SDKs honour.</summary>
public sealed class SdkRateLimitTests(SdkRateLimitTests.LimitedFixture fixture) : IClassFixture<SdkRateLimitTests.LimitedFixture>
{
    [Fact]
    public async Task Requests_over_the_ingest_limit_get_429_with_retry_after_on_both_protocols()
    {
        var name = TestEnvironment.Unique("limited");
        // At once, so that they arrive faster than the bucket refills (it adds a token every 100 ms).
        var sends = Enumerable.Range(0, 12).Select(i => i % 2 == 0
            ? fixture.Client.SendSdkAsync("/v1/track", new { @event = name, userId = "l", messageId = TestEnvironment.Unique("m") })
            : fixture.Client.SendSdkAsync("/capture", new { @event = name, distinct_id = "l", uuid = Guid.NewGuid().ToString() }));
        var answers = (await Task.WhenAll(sends)).Select(a => a.Response).ToList();

        var limited = answers.Where(a => a.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(limited);
        Assert.All(limited, a => Assert.True(a.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1)));
        Assert.All(answers, a => Assert.True(a.StatusCode is HttpStatusCode.OK or HttpStatusCode.TooManyRequests, $"{a.StatusCode}"));
        Assert.Equal(answers.Count(a => a.StatusCode == HttpStatusCode.OK), (await fixture.Client.FindAllAsync($"eventName={name}")).Count);
    }

    /// <summary>A burst of two ingest requests, then one every 100 ms.</summary>
    public sealed class LimitedFixture : EmbeddedFixture
    {
        protected override async Task<Dictionary<string, string?>> PrepareAsync()
        {
            var settings = await base.PrepareAsync();
            settings["Auth:RateLimits:Ingest:PermitsPerSecond"] = "1";
            settings["Auth:RateLimits:Ingest:Burst"] = "2";
            return settings;
        }
    }
}
