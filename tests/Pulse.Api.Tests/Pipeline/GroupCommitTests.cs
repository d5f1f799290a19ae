using System.Data.Common;
using Microsoft.Extensions.DependencyInjection;
using Pulse.Api.Tests.Crm;
using Pulse.Api.Tests.Infrastructure;
using Pulse.Core;
using Pulse.Core.Events;
using Pulse.Core.Pipeline;

namespace Pulse.Api.Tests.Pipeline;

/// <summary>The group-commit writer against the real stores: ids, isolation of failures, backpressure.</summary>
public abstract class GroupCommitTests(PulseFixture fixture)
{
    private readonly IEventStore _store = fixture.Services.GetRequiredService<IEventStore>();

    [Fact]
    public async Task Concurrent_writers_each_get_their_own_committed_ids()
    {
        var userId = await NewUserIdAsync();
        var name = TestEnvironment.Unique("group");
        await using var writer = new GroupCommitEventWriter(_store, new GroupCommitOptions { Writers = 2, MaxBatchEvents = 64 });

        var requests = Enumerable.Range(0, 300).Select(i => writer.WriteAsync(
            [.. Enumerable.Range(0, 1 + (i % 3)).Select(j => Write(name, userId, $"{i}-{j}"))],
            CancellationToken.None)).ToList();
        var results = await Task.WhenAll(requests);

        var allIds = results.SelectMany(r => r).ToList();
        Assert.Equal(allIds.Count, allIds.Distinct().Count());
        Assert.Equal(Enumerable.Range(0, 300).Sum(i => 1 + (i % 3)), allIds.Count);
        var stored = await _store.SearchAsync(new EventQuery(name, null, null, null, null, 1000, false), CancellationToken.None);
        var tagById = stored.ToDictionary(e => e.Id, e => e.Properties[0].Value);
        for (var i = 0; i < results.Length; i++)
        {
            for (var j = 0; j < results[i].Count; j++)
            {
                Assert.Equal($"{i}-{j}", tagById[results[i][j]]);
            }
        }
    }

    [Fact]
    public async Task A_rejected_row_fails_only_its_own_request()
    {
        var userId = await NewUserIdAsync();
        var name = TestEnvironment.Unique("isolated");
        await using var writer = new GroupCommitEventWriter(_store, new GroupCommitOptions { Writers = 1 });

        // The same key twice in one event violates the properties' primary key: the database rejects that row.
        var requests = Enumerable.Range(0, 40)
            .Select(i => writer.WriteAsync([i == 17 ? DuplicateKeyWrite(name, userId) : Write(name, userId, i.ToString(System.Globalization.CultureInfo.InvariantCulture))], CancellationToken.None))
            .ToList();
        await Task.WhenAll(requests.Select(async r =>
        {
            try
            {
                await r;
            }
            catch (DbException)
            {
            }
        }));

        Assert.True(requests[17].IsFaulted);
        Assert.IsAssignableFrom<DbException>(requests[17].Exception!.InnerException);
        Assert.Equal(39, requests.Count(r => r.IsCompletedSuccessfully));
        var stored = await _store.SearchAsync(new EventQuery(name, null, null, null, null, 1000, false), CancellationToken.None);
        Assert.Equal(39, stored.Count);
        Assert.DoesNotContain(stored, e => e.Properties[0].Value == "17");
    }

    [Fact]
    public async Task A_full_queue_refuses_new_writes_at_once()
    {
        var userId = await NewUserIdAsync();
        var gate = new GatedStore(_store);
        await using var writer = new GroupCommitEventWriter(gate, new GroupCommitOptions { Writers = 1, QueueCapacity = 5 });

        var first = writer.WriteAsync([Write("gated", userId, "0")], CancellationToken.None);
        await gate.Entered.Task;
        var queued = Enumerable.Range(1, 4).Select(i => writer.WriteAsync([Write("gated", userId, $"{i}")], CancellationToken.None)).ToList();

        // Refused synchronously, before any task exists: the request never waits on a full queue.
        Assert.Throws<WriteQueueFullException>(() => { _ = writer.WriteAsync([Write("gated", userId, "5")], CancellationToken.None); });

        gate.Open.SetResult();
        await first;
        await Task.WhenAll(queued);
        await writer.WriteAsync([Write("gated", userId, "6")], CancellationToken.None);
    }

    [Fact]
    public async Task A_big_batch_stores_every_event_with_its_properties_and_campaign_link()
    {
        // Big enough for PostgreSQL's COPY path (PostgresEventStore.CopyMinEvents), which small batches never take.
        var userId = await NewUserIdAsync();
        var campaign = TestEnvironment.Unique("big");
        var campaignId = await fixture.Client.CreateCampaignAsync(campaign, "n");
        var name = TestEnvironment.Unique("big");
        var events = Enumerable.Range(0, 500).Select(i => new EventWrite(
            name, userId, "writer",
            [new Property("n", i.ToString(System.Globalization.CultureInfo.InvariantCulture)), new Property("label", $"이벤트 {i} 🎉")],
            i % 2 == 0 ? campaignId : null,
            DateTimeOffset.UtcNow)).ToList();

        var ids = await _store.AppendAsync(events, CancellationToken.None);

        Assert.Equal(500, ids.Distinct().Count());
        var stored = (await _store.SearchAsync(new EventQuery(name, null, null, null, null, 1000, false), CancellationToken.None))
            .ToDictionary(e => e.Id);
        Assert.Equal(500, stored.Count);
        for (var i = 0; i < ids.Count; i++)
        {
            Assert.Equal([new Property("n", i.ToString(System.Globalization.CultureInfo.InvariantCulture)), new Property("label", $"이벤트 {i} 🎉")], stored[ids[i]].Properties);
        }

        // The property rows are written too (numeric where, index-driven) and so are the links.
        var found = await fixture.Client.SearchAsync($"eventName={name}&limit=1000&where={CrmClient.Encode("n&490&>=&end")}");
        Assert.Equal(ids.Skip(490), found.Select(e => e!["id"].Long()).Order());
        var (_, body) = await fixture.Client.GetJsonAsync($"/api/v1/events/campaign/{campaignId}");
        Assert.Equal(250, body["data"]!["linkedEventCount"].Long());
    }

    [Fact]
    public async Task A_big_batch_with_one_rejected_row_stores_none_of_it()
    {
        var userId = await NewUserIdAsync();
        var name = TestEnvironment.Unique("bigreject");
        var events = Enumerable.Range(0, 300)
            .Select(i => i == 299 ? DuplicateKeyWrite(name, userId) : Write(name, userId, i.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            .ToList();

        await Assert.ThrowsAnyAsync<DbException>(() => _store.AppendAsync(events, CancellationToken.None));

        Assert.Empty(await _store.SearchAsync(new EventQuery(name, null, null, null, null, 1000, false), CancellationToken.None));
        Assert.Empty(await fixture.Client.SearchAsync($"eventName={name}&where={CrmClient.Encode("tag&5&=&end")}"));
    }

    private async Task<long> NewUserIdAsync() => await fixture.Client.CreateUserAsync(TestEnvironment.Unique("writer"));

    private static EventWrite Write(string name, long userId, string tag) =>
        new(name, userId, "writer", [new Property("tag", tag)], null, DateTimeOffset.UtcNow);

    /// <summary>
    /// An event the database rejects: its event row is fine, its second property row violates the properties'
    /// primary key (event id, key). The API refuses such input before it reaches the store.
    /// </summary>
    private static EventWrite DuplicateKeyWrite(string name, long userId) =>
        new(name, userId, "writer", [new Property("tag", "dup"), new Property("tag", "dup again")], null, DateTimeOffset.UtcNow);

    /// <summary>Holds the first commit until the test opens the gate, so the queue fills behind it.</summary>
    private sealed class GatedStore(IEventStore inner) : IEventStore
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Open { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<IReadOnlyList<long>> AppendAsync(IReadOnlyList<EventWrite> events, CancellationToken cancellationToken)
        {
            Entered.TrySetResult();
            await Open.Task;
            return await inner.AppendAsync(events, cancellationToken);
        }

        public Task<IReadOnlyList<StoredEvent>> SearchAsync(EventQuery query, CancellationToken cancellationToken) => inner.SearchAsync(query, cancellationToken);
    }
}

public sealed class GroupCommitTests_Embedded(EmbeddedFixture fixture) : GroupCommitTests(fixture), IClassFixture<EmbeddedFixture>;

public sealed class GroupCommitTests_Server(ServerFixture fixture) : GroupCommitTests(fixture), IClassFixture<ServerFixture>;
