using System.Collections.Concurrent;
using System.Net;
using Pulse.Api.Tests.Crm;
using Pulse.Api.Tests.Infrastructure;
using Pulse.Api.Tests.Sdk;

namespace Pulse.Api.Tests.Lifecycle;

/// <summary>
/// An erasure racing ingestion for the same user (issue 16, item 5): afterwards nothing of theirs committed before the
/// erasure began remains, and the audit count equals what was committed and is gone.
/// </summary>
public abstract class ErasureRaceTests(IErasureFixture erasure)
{
    private readonly HttpClient _client = erasure.Admin;

    [Fact]
    public async Task An_erasure_racing_ingestion_leaves_nothing_committed_before_it_began_and_counts_what_it_removed()
    {
        var externalId = "race-" + Guid.NewGuid().ToString("N");
        var name = "race-" + Guid.NewGuid().ToString("N");
        await _client.CreateUserAsync(externalId);

        var before = new ConcurrentBag<long>();
        var acknowledged = new ConcurrentBag<long>();
        var began = 0;
        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                // Read before sending: an event answered 201 while this was still 0 was committed before the erasure began.
                var erasureBegan = Volatile.Read(ref began) == 1;
                var (response, body) = await _client.PostAsync("/api/v1/events", new { name, externalId, properties = new[] { new { key = "k", value = "v" } } });
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    var id = body["data"]!["id"].Long();
                    acknowledged.Add(id);
                    if (!erasureBegan)
                    {
                        before.Add(id);
                    }
                }
                else
                {
                    // After the user is gone: 404; a write whose user was erased between lookup and commit: 503 (SQLite).
                    Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.ServiceUnavailable, $"{(int)response.StatusCode}: {body.Compact()}");
                }
            }
        })).ToArray();

        await Eventually.HoldsAsync(() => acknowledged.Count >= 3 * IErasureFixture.InlineLimit, "events acknowledged before the erasure");
        Volatile.Write(ref began, 1);
        var (answer, started) = await _client.SendAsync(HttpMethod.Delete, $"/api/v1/users/{externalId}");
        Assert.Equal(HttpStatusCode.Accepted, answer.StatusCode);
        var done = await _client.WaitForErasureAsync(started["data"]!["id"].Long());
        await Task.Delay(200); // ingestion goes on a little after the erasure, as it would
        await stop.CancelAsync();
        await Task.WhenAll(writers);

        var remaining = (await _client.FindAllAsync($"eventName={name}")).Select(e => e["id"].Long()).ToHashSet();
        Assert.NotEmpty(before);
        Assert.DoesNotContain(before, remaining.Contains);
        Assert.Equal(acknowledged.Count - remaining.Count, done.Removed("events"));
        Assert.Equal(done.Removed("events"), done.Removed("eventProperties"));
        Assert.Equal(1, done.Removed("users"));
    }
}

public sealed class ErasureRaceTests_Embedded(ErasureEmbeddedFixture fixture) : ErasureRaceTests(fixture), IClassFixture<ErasureEmbeddedFixture>;

public sealed class ErasureRaceTests_Server(ErasureServerFixture fixture) : ErasureRaceTests(fixture), IClassFixture<ErasureServerFixture>;
