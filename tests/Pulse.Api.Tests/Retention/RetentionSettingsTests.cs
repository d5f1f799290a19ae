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
        // the services the failing host has already disposed; the same stack as dotnet/aspnetcore#33494, in
        // WebApplicationFactory.ConfigureHostBuilder): that is the harness, so the start is tried again.
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

/// <summary>
/// Server mode partitions a table set the first time its retention is set, at start-up, before the host serves a
/// request (the first pass is an hour away here, so only start-up can have done it); a set without a setting keeps
/// its plain table.
/// </summary>
public sealed class RetentionStartupTests_Server(RetentionStartupTests_Server.DelayedPassFixture fixture) : IClassFixture<RetentionStartupTests_Server.DelayedPassFixture>
{
    public sealed class DelayedPassFixture : RetentionServerFixture
    {
        protected override async Task<Dictionary<string, string?>> PrepareAsync()
        {
            var settings = await base.PrepareAsync();
            settings["Retention:EventsDays"] = "30";
            settings["Retention:StartDelay"] = "01:00:00";
            return settings;
        }
    }

    [Fact]
    public async Task The_tables_of_a_set_with_retention_are_partitioned_before_the_first_request_and_the_others_stay_plain()
    {
        var (response, _) = await fixture.Client.GetJsonAsync("/api/v1/users/count");

        Assert.True(response.IsSuccessStatusCode, $"answered {(int)response.StatusCode}");
        foreach (var table in new[] { "events", "event_properties", "campaign_events" })
        {
            Assert.Equal(1, await fixture.ScalarAsync("SELECT count(*) FROM pg_class WHERE relname = @p0 AND relkind = 'p'", table));
        }

        Assert.Equal(1, await fixture.ScalarAsync("SELECT count(*) FROM pg_class WHERE relname = 'tracked_events' AND relkind = 'r'"));
        Assert.Equal(1, await fixture.ScalarAsync("SELECT count(*) FROM retention_ranges WHERE table_set = 'events'"));
    }
}
