using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Options;
using Pulse.Api.Tests.Crm;
using Pulse.Api.Tests.Infrastructure;
using Pulse.Api.Tests.Sdk;

namespace Pulse.Api.Tests.Retention;

/// <summary>Bad retention settings stop the host at start-up with a message naming the setting.</summary>
public sealed class RetentionSettingsTests
{
    [Theory]
    [InlineData("Retention:EventsDays", "0")]
    [InlineData("Retention:TrackedEventsDays", "-3")]
    [InlineData("Retention:StatMinutesDays", "40000")]
    [InlineData("Retention:PartitionDays", "0")]
    [InlineData("Retention:Interval", "00:00:00")]
    public void A_bad_setting_fails_at_start_with_its_name(string key, string value)
    {
        OptionsValidationException? error = null;
        // WebApplicationFactory sometimes reports a failed start-up as ObjectDisposedException (its deferred host reads
        // the services the failing host has already disposed): that is the harness, so the start is tried again.
        for (var attempt = 0; error is null && attempt < 5; attempt++)
        {
            using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder => builder.UseSetting(key, value));
            try
            {
                factory.CreateClient();
            }
            catch (OptionsValidationException exception)
            {
                error = exception;
            }
            catch (ObjectDisposedException)
            {
            }
        }

        Assert.NotNull(error);
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }
}

/// <summary>With <c>Retention:EventsDays</c> set, the background job removes expired events on its own, in both modes.</summary>
public abstract class RetentionJobTests(IRetentionDatabase database)
{
    [Fact]
    public async Task Events_older_than_the_setting_leave_in_the_background_and_newer_ones_stay()
    {
        var name = TestEnvironment.Unique("job");
        var user = TestEnvironment.Unique("job-user");
        await database.Client.CreateUserAsync(user);
        var (response, _) = await database.Client.SendSdkAsync("/v1/batch", new
        {
            batch = new[]
            {
                new { type = "track", @event = name, userId = user, messageId = TestEnvironment.Unique("m"), timestamp = SdkClient.Iso(DateTimeOffset.UtcNow.AddDays(-31)) },
                new { type = "track", @event = name, userId = user, messageId = TestEnvironment.Unique("m"), timestamp = SdkClient.Iso(DateTimeOffset.UtcNow.AddDays(-29)) },
            },
        });
        Assert.True(response.IsSuccessStatusCode, $"batch answered {(int)response.StatusCode}");

        await Eventually.HoldsAsync(async () => (await database.Client.FindAllAsync($"eventName={name}")).Count == 1, "the 31-day-old event expired");
        var left = Assert.Single(await database.Client.FindAllAsync($"eventName={name}"));
        Assert.InRange(DateTimeOffset.Parse(left["timestamp"].Str(), System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.UtcNow.AddDays(-29.1), DateTimeOffset.UtcNow.AddDays(-28.9));
    }
}

public sealed class RetentionJobTests_Embedded(RetentionConfiguredEmbeddedFixture fixture) : RetentionJobTests(fixture), IClassFixture<RetentionConfiguredEmbeddedFixture>;

public sealed class RetentionJobTests_Server(RetentionConfiguredServerFixture fixture) : RetentionJobTests(fixture), IClassFixture<RetentionConfiguredServerFixture>;
