using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Pulse.Api.Tests.Infrastructure;
using Pulse.Core.Sdk;

namespace Pulse.Api.Tests.Sdk;

/// <summary>Exactly once per message id, enforced by the database: within a batch, across batches, instances and concurrent requests.</summary>
public abstract class SdkDedupeTests(PulseFixture fixture)
{
    private readonly HttpClient _client = fixture.Client;

    [Fact]
    public async Task Copies_in_one_batch_are_stored_once_and_answered_as_success()
    {
        var name = TestEnvironment.Unique("dup");
        var id = TestEnvironment.Unique("m");
        var message = Track(name, id, 1);

        var (response, body) = await _client.SendSdkAsync("/v1/batch", new { batch = new[] { message, message, Track(name, id, 2) } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(body["success"]!.GetValue<bool>());
        Assert.Equal(["1"], (await _client.FindAllAsync($"eventName={name}")).Select(e => SdkClient.Property(e, "n")));
    }

    [Fact]
    public async Task A_batch_sent_again_is_answered_as_success_and_stores_nothing_new()
    {
        var name = TestEnvironment.Unique("again");
        var batch = Enumerable.Range(0, 30).Select(i => Track(name, TestEnvironment.Unique("m"), i)).ToArray();

        var (first, _) = await _client.SendSdkAsync("/v1/batch", new { batch });
        var (second, _) = await _client.SendSdkAsync("/v1/batch", new { batch }, gzip: true);
        var (posthog, _) = await _client.SendSdkAsync("/batch", new { batch = batch.Select(m => new { @event = name, distinct_id = "dedupe-user", uuid = m.messageId }).ToArray() });

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(HttpStatusCode.OK, posthog.StatusCode);
        Assert.Equal(30, (await _client.FindAllAsync($"eventName={name}")).Count);
    }

    [Fact]
    public async Task A_batch_big_enough_to_be_copied_stores_each_message_once_with_its_message_and_time()
    {
        // 300 messages, 20 of them twice: PostgreSQL writes 200 or more events with binary COPY.
        var name = TestEnvironment.Unique("big");
        var sentAt = DateTimeOffset.UtcNow;
        var messages = Enumerable.Range(0, 280).Select(i => new
        {
            type = "track",
            @event = name,
            userId = "big-user",
            messageId = $"{name}-{i}",
            timestamp = SdkClient.Iso(sentAt.AddDays(-2)),
            properties = new { n = i, nested = new { half = i / 2 } },
        }).ToList();
        messages.AddRange(messages.Take(20));

        var (response, _) = await _client.SendSdkAsync("/v1/batch", new { batch = messages, sentAt = SdkClient.Iso(sentAt) });
        var stored = await _client.FindAllAsync($"eventName={name}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Enumerable.Range(0, 280).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), stored.Select(e => SdkClient.Property(e, "n")));
        Assert.All(stored, e => Assert.Equal(e["message"]!["messageId"].Str(), $"{name}-{SdkClient.Property(e, "n")}"));
        Assert.All(stored, e => Assert.Equal(SdkClient.Iso(sentAt), e["sentAt"].Str()));
        Assert.All(stored, e => Assert.InRange(DateTimeOffset.Parse(e["timestamp"].Str(), System.Globalization.CultureInfo.InvariantCulture), sentAt.AddDays(-2).AddMinutes(-1), sentAt.AddDays(-2).AddMinutes(1)));
        Assert.Equal("70", SdkClient.Property(stored[140], "nested.half"));
    }

    [Fact]
    public async Task Concurrent_requests_on_two_instances_carrying_the_same_ids_store_each_message_once()
    {
        var name = TestEnvironment.Unique("race");
        var batch = Enumerable.Range(0, 40).Select(i => Track(name, TestEnvironment.Unique("m"), i)).ToArray();
        await using var other = fixture.StartAnotherInstance();
        var otherClient = other.CreateClient();

        // Each request sends the same ids in its own order, so their transactions overlap in every way.
        var sends = Enumerable.Range(0, 12).Select(r =>
            (r % 2 == 0 ? _client : otherClient).SendSdkAsync("/v1/batch", new { batch = batch.OrderBy(_ => Random.Shared.Next()).ToArray() }));
        var answers = await Task.WhenAll(sends);

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Response.StatusCode));
        var stored = await _client.FindAllAsync($"eventName={name}");
        Assert.Equal(40, stored.Count);
        Assert.Equal(40, stored.Select(e => SdkClient.Property(e, "n")).Distinct().Count());
    }

    [Fact]
    public async Task Ids_older_than_the_window_are_forgotten_and_a_message_sent_after_it_is_stored_again()
    {
        var name = TestEnvironment.Unique("expired");
        var message = Track(name, TestEnvironment.Unique("m"), 1);
        await _client.SendSdkAsync("/v1/batch", new { batch = new[] { message } });
        var store = fixture.Services.GetRequiredService<ISdkEventStore>();

        var keptWithinWindow = await store.DeleteMessageIdsBeforeAsync(DateTimeOffset.UtcNow.AddMinutes(-5), CancellationToken.None);
        await _client.SendSdkAsync("/v1/batch", new { batch = new[] { message } });
        var afterFirstResend = (await _client.FindAllAsync($"eventName={name}")).Count;
        var forgotten = await store.DeleteMessageIdsBeforeAsync(DateTimeOffset.UtcNow.AddMinutes(1), CancellationToken.None);
        await _client.SendSdkAsync("/v1/batch", new { batch = new[] { message } });

        Assert.Equal(1, afterFirstResend);
        Assert.True(forgotten >= 1, $"forgot {forgotten} ids (kept {keptWithinWindow} older than 5 minutes)");
        Assert.Equal(2, (await _client.FindAllAsync($"eventName={name}")).Count);
    }

    private static TrackMessage Track(string name, string messageId, int n) => new("track", name, "dedupe-user", messageId, new Dictionary<string, int> { ["n"] = n });

    private sealed record TrackMessage(string type, string @event, string userId, string messageId, Dictionary<string, int> properties);
}

public sealed class SdkDedupeTests_Embedded(EmbeddedFixture fixture) : SdkDedupeTests(fixture), IClassFixture<EmbeddedFixture>;

public sealed class SdkDedupeTests_Server(ServerFixture fixture) : SdkDedupeTests(fixture), IClassFixture<ServerFixture>;
