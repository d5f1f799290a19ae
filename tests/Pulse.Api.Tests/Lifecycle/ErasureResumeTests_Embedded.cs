using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Pulse.Api.Tests.Crm;
using Pulse.Api.Tests.Infrastructure;
using Pulse.Api.Tests.Sdk;
using Pulse.Core.Lifecycle;

namespace Pulse.Api.Tests.Lifecycle;

/// <summary>
/// A restart mid-erasure: the durable record of an erasure with one chunk done and the rest not (as a process killed
/// after answering 202 leaves it) is found by the next start, which finishes it; the counts add up across both.
/// </summary>
public sealed class ErasureResumeTests_Embedded(ErasureEmbeddedFixture fixture) : IClassFixture<ErasureEmbeddedFixture>
{
    private readonly HttpClient _client = fixture.Admin;

    [Fact]
    public async Task An_unfinished_erasure_is_resumed_and_completed_by_the_next_start()
    {
        var externalId = "resume-" + Guid.NewGuid().ToString("N");
        var name = "resume-" + Guid.NewGuid().ToString("N");
        await _client.CreateUserAsync(externalId);
        const int Events = 30;
        var (batch, _) = await _client.PostAsync("/api/v1/events/batch",
            Enumerable.Range(0, Events).Select(_ => new { name, externalId, properties = new[] { new { key = "k", value = "v" } } }).ToArray());
        Assert.Equal(HttpStatusCode.OK, batch.StatusCode);

        // What the first process did before it died: the record, and one chunk.
        var erasures = fixture.Services.GetRequiredService<ErasureService>();
        var store = fixture.Services.GetRequiredService<IErasureStore>();
        var start = await erasures.BeginAsync(externalId, suppress: false, keyId: null, keyName: "before the crash", CancellationToken.None);
        var chunk = await store.DeleteChunkAsync(start.Erasure, ErasureStep.Events, IErasureFixture.ChunkSize, CancellationToken.None);
        Assert.Equal(IErasureFixture.ChunkSize, chunk.Removed);
        var (_, midway) = await _client.GetJsonAsync($"/api/v1/erasures/{start.Erasure.Id}");
        Assert.Equal("running", midway["data"]!["status"].Str());

        await using var next = fixture.StartAnotherInstance();
        using var nextClient = next.CreateClient().WithAdminKey();
        var done = await nextClient.WaitForErasureAsync(start.Erasure.Id);

        Assert.Equal(Events, done.Removed("events"));
        Assert.Equal(Events, done.Removed("eventProperties"));
        Assert.Equal(1, done.Removed("users"));
        Assert.Empty(await nextClient.FindAllAsync($"eventName={name}"));
    }
}
