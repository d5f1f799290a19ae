using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Pulse.Api.Tests.Crm;
using Pulse.Api.Tests.Infrastructure;
using Pulse.Api.Tests.Sdk;
using Pulse.Api.Tests.Transfer;
using Pulse.Core;
using Pulse.Core.Events;
using Pulse.Core.Tracking;

namespace Pulse.Api.Tests.Dashboard;

/// <summary>
/// The per-minute CRM event counts the write path keeps (<c>event_minutes</c>, read by the dashboard's overview): every
/// path that stores events counts them in the minute of their own time, in the transaction that stores them. Past
/// events go to a minute of their own (a random minute years back), so nothing else in the class touches it.
/// </summary>
public abstract class EventMinutesTests(PulseFixture fixture)
{
    private readonly HttpClient _client = fixture.Client;

    [Fact]
    public async Task Events_saved_one_by_one_and_in_a_batch_are_counted_in_the_minute_of_their_time()
    {
        var user = TestEnvironment.Unique("minutes-crm");
        await _client.CreateUserAsync(user);
        var name = TestEnvironment.Unique("counted");
        var window = AroundNow();
        var before = await CountsAsync(window);

        await _client.SaveEventAsync(name, user, null, ("n", "1"));
        await _client.SaveEventAsync(name, user, null, ("n", "2"));
        var (response, body) = await _client.PostAsync("/api/v1/events/batch", new object[]
        {
            new { name, externalId = user, properties = new[] { new { key = "n", value = "3" } } },
            new { name, externalId = TestEnvironment.Unique("ghost"), properties = Array.Empty<object>() },
            new { name, externalId = user, properties = new[] { new { key = "n", value = "4" } } },
        });
        var after = await CountsAsync(window);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, body["data"]!["saved"]!.GetValue<int>());
        var stored = await _client.FindAllAsync($"eventName={name}");
        Assert.Equal(4, stored.Count);
        Assert.Equal(PerMinute(window, stored.Select(e => Time(e["timestamp"]))), Minus(after, before));
    }

    [Fact]
    public async Task A_batch_big_enough_to_be_copied_is_counted_once_per_event()
    {
        // 250 events in one request: PostgreSQL writes a store batch of 200 or more with binary COPY.
        var user = TestEnvironment.Unique("minutes-big");
        await _client.CreateUserAsync(user);
        var name = TestEnvironment.Unique("copied");
        var window = AroundNow();
        var before = await CountsAsync(window);

        var (response, _) = await _client.PostAsync("/api/v1/events/batch", Enumerable.Range(0, 250)
            .Select(i => new { name, externalId = user, properties = new[] { new { key = "n", value = i.ToString(System.Globalization.CultureInfo.InvariantCulture) } } })
            .ToArray());
        var after = await CountsAsync(window);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stored = await _client.FindAllAsync($"eventName={name}");
        Assert.Equal(250, stored.Count);
        Assert.Equal(PerMinute(window, stored.Select(e => Time(e["timestamp"]))), Minus(after, before));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(250)]
    public async Task SDK_messages_count_in_their_own_minute_and_duplicates_do_not(int messages)
    {
        var minute = PastMinute();
        var twoDaysEarlier = minute - TimeSpan.FromDays(2);
        var name = TestEnvironment.Unique("sdk-minutes");
        var batch = Enumerable.Range(0, messages)
            .Select(i => Message(name, $"{name}-{i}", minute + TimeSpan.FromSeconds(i % 60)))
            .Append(Message(name, $"{name}-backdated", twoDaysEarlier + TimeSpan.FromSeconds(59)))
            .ToList();
        batch.Add(batch[0]); // a copy in the same batch

        var (first, _) = await _client.SendSdkAsync("/v1/batch", new { batch });
        var (again, _) = await _client.SendSdkAsync("/v1/batch", new { batch });

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal([0, messages, 0], await CountsAsync(new MinuteWindow(minute - TimeSpan.FromMinutes(1), minute + TimeSpan.FromMinutes(2))));
        Assert.Equal([0, 1, 0], await CountsAsync(new MinuteWindow(twoDaysEarlier - TimeSpan.FromMinutes(1), twoDaysEarlier + TimeSpan.FromMinutes(2))));
    }

    [Fact]
    public async Task Imported_events_count_in_the_minute_of_their_time_and_importing_them_again_adds_nothing()
    {
        var minute = PastMinute();
        var user = TestEnvironment.Unique("import-minutes");
        var name = TestEnvironment.Unique("imported");
        var file = string.Join('\n',
            ImportLine(1, name, user, minute),
            ImportLine(2, name, user, minute + TimeSpan.FromSeconds(59.9)),
            ImportLine(3, name, user, minute + TimeSpan.FromMinutes(1))) + "\n";

        var first = await _client.ImportDataAsync(file);
        var second = await _client.ImportDataAsync(file);

        Assert.Equal(3, first["stored"].Long());
        Assert.Equal(3, second["duplicates"].Long());
        Assert.Equal([0, 2, 1, 0], await CountsAsync(new MinuteWindow(minute - TimeSpan.FromMinutes(1), minute + TimeSpan.FromMinutes(3))));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(250)]
    public async Task A_batch_that_fails_in_the_database_counts_nothing(int size)
    {
        // The last event has one property key twice: its rows break event_properties' primary key, so the database
        // rolls back the whole batch, after the other events (and, on PostgreSQL, the count) were written in it.
        var minute = PastMinute();
        var user = TestEnvironment.Unique("failing");
        var userId = await _client.CreateUserAsync(user);
        var store = fixture.Services.GetRequiredService<IEventStore>();
        var events = Enumerable.Range(0, size)
            .Select(i => new EventWrite("failing", userId, user, [new Property("n", "1")], null, minute + TimeSpan.FromMilliseconds(i)))
            .Append(new EventWrite("failing", userId, user, [new Property("k", "1"), new Property("k", "2")], null, minute))
            .ToList();

        await Assert.ThrowsAnyAsync<Exception>(() => store.AppendAsync(events, CancellationToken.None));
        var stored = await store.AppendAsync(events.Take(1).ToList(), CancellationToken.None);

        Assert.Single(stored);
        Assert.Equal([0, 1, 0], await CountsAsync(new MinuteWindow(minute - TimeSpan.FromMinutes(1), minute + TimeSpan.FromMinutes(2))));
    }

    private Task<IReadOnlyList<long>> CountsAsync(MinuteWindow window) =>
        fixture.Services.GetRequiredService<IEventCounts>().PerMinuteAsync(window, CancellationToken.None);

    /// <summary>From the previous minute to a few minutes ahead: every event saved by the test falls into it.</summary>
    private static MinuteWindow AroundNow()
    {
        var now = CounterMinute.Floor(DateTimeOffset.UtcNow);
        return new MinuteWindow(now - TimeSpan.FromMinutes(1), now + TimeSpan.FromMinutes(10));
    }

    /// <summary>A random minute between 2 and 12 years ago: no other test of the class writes there.</summary>
    private static DateTimeOffset PastMinute() =>
        CounterMinute.Floor(DateTimeOffset.UtcNow - TimeSpan.FromDays(730) - TimeSpan.FromMinutes(Random.Shared.Next(0, 10 * 525_600)));

    private static DateTimeOffset Time(JsonNode? node) => DateTimeOffset.Parse(node.Str(), System.Globalization.CultureInfo.InvariantCulture);

    private static long[] PerMinute(MinuteWindow window, IEnumerable<DateTimeOffset> times)
    {
        var counts = new long[window.Minutes];
        foreach (var time in times)
        {
            counts[(int)((CounterMinute.Floor(time) - window.From).Ticks / TimeSpan.TicksPerMinute)]++;
        }

        return counts;
    }

    private static long[] Minus(IReadOnlyList<long> after, IReadOnlyList<long> before) => [.. after.Select((count, i) => count - before[i])];

    private static JsonObject Message(string name, string messageId, DateTimeOffset time) => new()
    {
        ["type"] = "track",
        ["event"] = name,
        ["userId"] = "minutes-user",
        ["messageId"] = messageId,
        ["timestamp"] = SdkClient.Iso(time),
    };

    private static string ImportLine(long id, string name, string user, DateTimeOffset time) =>
        $$"""{"id":{{id}},"name":{{JsonSerializer.Serialize(name)}},"externalId":{{JsonSerializer.Serialize(user)}},"eventTime":"{{TransferClient.Iso(time)}}","receivedAt":"{{TransferClient.Iso(time)}}","properties":{},"campaign":null,"message":null,"sentAt":null,"timeClamped":false}""";
}

public sealed class EventMinutesTests_Embedded(EmbeddedFixture fixture) : EventMinutesTests(fixture), IClassFixture<EmbeddedFixture>;

public sealed class EventMinutesTests_Server(ServerFixture fixture) : EventMinutesTests(fixture), IClassFixture<ServerFixture>;
