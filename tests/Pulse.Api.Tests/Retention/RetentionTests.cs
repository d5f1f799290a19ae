using Microsoft.Extensions.DependencyInjection;
using Pulse.Api.Retention;
using Pulse.Api.Tests.Crm;
using Pulse.Api.Tests.Infrastructure;
using Pulse.Api.Tests.Sdk;
using Pulse.Core.Campaigns;
using Pulse.Core.Events;
using Pulse.Core.Retention;
using Pulse.Core.Tracking;
using Pulse.Core.Transfer;
using Pulse.Core.Users;

namespace Pulse.Api.Tests.Retention;

/// <summary>
/// Expiry removes exactly what is older than each cutoff, with everything that belongs to it, and leaves the rest;
/// ingestion goes on meanwhile. The same suite in both modes (server mode's ranges: RetentionTests_Server).
/// </summary>
public abstract class RetentionTests(IRetentionDatabase database)
{
    /// <summary>Monday 00:00 UTC three weeks before the current week's.</summary>
    protected static readonly DateTimeOffset Boundary = WeekOf(DateTimeOffset.UtcNow).AddDays(-21);

    private readonly HttpClient _client = database.Client;

    private IRetentionStore Store => database.Services.GetRequiredService<IRetentionStore>();

    [Fact]
    public async Task Expiry_removes_exactly_the_events_older_than_the_cutoff_with_their_properties_and_links()
    {
        var name = TestEnvironment.Unique("expiry");
        var cutoff = Boundary.AddDays(3.5);
        DateTimeOffset[] expired = [Boundary.AddDays(-10), Boundary.AddDays(-7).AddMinutes(-1), Boundary.AddDays(-7).AddMinutes(1), Boundary.AddMinutes(-1), Boundary.AddMinutes(1), cutoff.AddMinutes(-1)];
        DateTimeOffset[] kept = [cutoff.AddMinutes(1), Boundary.AddDays(7).AddMinutes(-1), Boundary.AddDays(7).AddMinutes(1), DateTimeOffset.UtcNow];
        var ids = await AppendAsync(name, [.. expired, .. kept]);
        var expiredIds = ids.Take(expired.Length).ToArray();
        var keptIds = ids.Skip(expired.Length).ToArray();

        var pass = await Store.ExpireAsync(new RetentionCutoffs(cutoff, null, null), DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.NotNull(pass);
        // At least these: the class's other tests leave older events in the same database (which of them ran first varies).
        Assert.True(pass.Events >= expired.Length, $"removed {pass.Events}");
        var left = await _client.FindAllAsync($"eventName={name}");
        Assert.Equal(keptIds, left.Select(e => e["id"]!.GetValue<long>()).Order());
        await database.AssertDetailsAsync(expiredIds, keptIds);
    }

    [Fact]
    public async Task Expired_imported_events_take_their_import_keys_with_them_and_kept_ones_stay_deduplicated()
    {
        var name = TestEnvironment.Unique("imported");
        var cutoff = Boundary.AddDays(3.5);
        // Long expired, just expired, kept.
        DateTimeOffset[] times = [Boundary.AddDays(-10), Boundary.AddHours(1), DateTimeOffset.UtcNow];
        var user = await database.Services.GetRequiredService<IUserStore>().TryCreateAsync("retention-" + name, "{}", DateTimeOffset.UtcNow, CancellationToken.None);
        var imports = times.Select((time, i) => new ImportWrite(
            System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(name + i)),
            new EventWrite(name, user!.Id, user.ExternalId, [new("a", "x")], null, DateTimeOffset.UtcNow) { Timestamp = time },
            null, null, false)).ToList();
        var store = database.Services.GetRequiredService<IEventImportStore>();
        var ids = (await store.ImportAsync(imports, CancellationToken.None)).Select(id => id!.Value).ToArray();

        await Store.ExpireAsync(new RetentionCutoffs(cutoff, null, null), DateTimeOffset.UtcNow, CancellationToken.None);
        var again = await store.ImportAsync(imports, CancellationToken.None);

        Assert.Equal(0, await database.ScalarAsync("SELECT count(*) FROM event_imports WHERE event_id = @p0", ids[0]));
        Assert.Equal(0, await database.ScalarAsync("SELECT count(*) FROM event_imports WHERE event_id = @p0", ids[1]));
        Assert.Equal(1, await database.ScalarAsync("SELECT count(*) FROM event_imports WHERE event_id = @p0", ids[2]));
        Assert.Null(again[2]);
        Assert.NotNull(again[0]);
    }

    [Fact]
    public async Task Tracked_events_and_minute_counters_expire_by_their_own_settings_and_totals_stay()
    {
        var component = Random.Shared.NextInt64(1_000_000, 9_000_000);
        var session = TestEnvironment.Unique("s");
        var old = Boundary.AddDays(-2);
        var recent = DateTimeOffset.UtcNow.AddDays(-1);
        var tracked = database.Services.GetRequiredService<ITrackedEventStore>();
        var member = CounterMember.For(TrackedEventType.PageView, component, null, null);
        await tracked.AppendAsync(
            [new(TrackedEventType.PageView, null, session, component, null, null, null, old), new(TrackedEventType.PageView, null, session, component, null, null, null, recent)],
            [new(TrackedEventType.PageView, Minute(old), member, 1, 0), new(TrackedEventType.PageView, Minute(recent), member, 1, 0)],
            CancellationToken.None);
        var name = TestEnvironment.Unique("untouched");
        await AppendAsync(name, [old]);

        var trackedOnly = await Store.ExpireAsync(new RetentionCutoffs(null, Boundary, null), DateTimeOffset.UtcNow, CancellationToken.None);
        var sessionRows = await database.ScalarAsync("SELECT count(*) FROM tracked_events WHERE session_id = @p0", session);
        var minutesBefore = await MinutesAsync(component);
        var minutesOnly = await Store.ExpireAsync(new RetentionCutoffs(null, null, Boundary), DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.True(trackedOnly!.TrackedEvents >= 1, $"removed {trackedOnly.TrackedEvents} tracked events");
        Assert.Equal(1, sessionRows);
        Assert.Equal(1, await database.ScalarAsync("SELECT count(*) FROM tracked_events WHERE session_id = @p0 AND occurred_at = @p1", session, database.Time(recent)));
        Assert.Equal(2, minutesBefore);
        Assert.True(minutesOnly!.StatMinutes >= 1, $"removed {minutesOnly.StatMinutes} minute counters");
        Assert.Equal(1, await MinutesAsync(component));
        Assert.Equal(1, await database.ScalarAsync("SELECT count(*) FROM stat_component_minutes WHERE type = 'PAGE_VIEW' AND component_id = @p0", component));
        Assert.Equal(2, await database.ScalarAsync("SELECT count FROM stat_totals WHERE type = 'PAGE_VIEW' AND component_id = @p0", component));
        Assert.Single(await _client.FindAllAsync($"eventName={name}"));
    }

    [Fact]
    public async Task Default_settings_keep_everything()
    {
        var name = TestEnvironment.Unique("kept");
        await AppendAsync(name, [DateTimeOffset.UtcNow.AddYears(-3), Boundary.AddDays(-30), DateTimeOffset.UtcNow]);
        var runner = database.Services.GetRequiredService<RetentionRunner>();

        var pass = await runner.RunOnceAsync(CancellationToken.None);

        Assert.Equal(RetentionCutoffs.None, runner.CutoffsAt(DateTimeOffset.UtcNow));
        Assert.NotNull(pass);
        Assert.Equal((0, 0, 0, 0), (pass.Events, pass.TrackedEvents, pass.StatMinutes, pass.PartitionsDropped));
        Assert.Equal(3, (await _client.FindAllAsync($"eventName={name}")).Count);
    }

    [Fact]
    public async Task Ingestion_keeps_working_while_a_pass_removes_many_expired_events()
    {
        var name = TestEnvironment.Unique("bulk");
        var old = Boundary.AddDays(-3);
        for (var batch = 0; batch < 20; batch++)
        {
            await AppendAsync(name, [.. Enumerable.Range(0, 500).Select(i => old.AddSeconds((batch * 500) + i))]);
        }
        var live = TestEnvironment.Unique("live");
        var user = TestEnvironment.Unique("writer");
        await _client.CreateUserAsync(user);
        var pass = Store.ExpireAsync(new RetentionCutoffs(Boundary, null, null), DateTimeOffset.UtcNow, CancellationToken.None);
        var written = 0;
        do
        {
            await _client.SaveEventAsync(live, user, null, ("n", written.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            written++;
        }
        while (!pass.IsCompleted || written < 5);

        Assert.True((await pass)!.Events >= 10_000, $"removed {(await pass)!.Events}");
        Assert.Empty(await _client.FindAllAsync($"eventName={name}"));
        Assert.Equal(written, (await _client.FindAllAsync($"eventName={live}")).Count);
    }

    /// <summary>Stores one event per time, each with two properties and a campaign link; returns their ids in order.</summary>
    protected async Task<long[]> AppendAsync(string name, DateTimeOffset[] times)
    {
        var services = database.Services;
        var externalId = "retention-" + name;
        var user = await services.GetRequiredService<IUserStore>().TryCreateAsync(externalId, "{}", DateTimeOffset.UtcNow, CancellationToken.None)
            ?? await services.GetRequiredService<IUserStore>().FindByExternalIdAsync(externalId, CancellationToken.None);
        var campaigns = services.GetRequiredService<ICampaignStore>();
        var campaign = await campaigns.TryCreateAsync("c-" + name, [new("a", "")], DateTimeOffset.UtcNow, CancellationToken.None)
            ?? await campaigns.FindByNameAsync("c-" + name, CancellationToken.None);
        var writes = times.Select((time, i) => new EventWrite(name, user!.Id, externalId, [new("a", i.ToString(System.Globalization.CultureInfo.InvariantCulture)), new("b", "x")], campaign!.Id, DateTimeOffset.UtcNow) { Timestamp = time }).ToList();
        var ids = await services.GetRequiredService<IEventStore>().AppendAsync(writes, CancellationToken.None);
        return [.. ids];
    }

    protected static DateTimeOffset WeekOf(DateTimeOffset time)
    {
        var date = time.UtcDateTime.Date;
        return new DateTimeOffset(date.AddDays(-(((int)date.DayOfWeek + 6) % 7)), TimeSpan.Zero);
    }

    private static DateTimeOffset Minute(DateTimeOffset time) => new(time.Ticks - (time.Ticks % TimeSpan.TicksPerMinute), TimeSpan.Zero);

    private Task<long> MinutesAsync(long component) =>
        database.ScalarAsync("SELECT count(*) FROM stat_minutes WHERE type = 'PAGE_VIEW' AND component_id = @p0", component);
}

public sealed class RetentionTests_Embedded(RetentionEmbeddedFixture fixture) : RetentionTests(fixture), IClassFixture<RetentionEmbeddedFixture>;
