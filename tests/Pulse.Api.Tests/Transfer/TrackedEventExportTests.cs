using System.Net;
using Pulse.Api.Tests.Infrastructure;

namespace Pulse.Api.Tests.Transfer;

/// <summary>GET /api/events/export: tracked events by type, component and time, NDJSON or CSV. Each test uses a component of its own.</summary>
public abstract class TrackedEventExportTests(PulseFixture fixture)
{
    private readonly HttpClient _client = fixture.Client;

    [Fact]
    public async Task Tracked_events_export_as_ndjson_and_csv_filtered_by_component_and_type()
    {
        var component = Random.Shared.NextInt64(1_000_000, long.MaxValue / 2);
        foreach (var (type, element) in new[] { ("CLICK", "buy,button"), ("PAGE_VIEW", "home"), ("click", "say \"hi\"") })
        {
            var (response, body) = await _client.PostAsync("/api/events", new { eventType = type, userId = 7, sessionId = "s-1", metadata = new { componentId = component, elementId = element } });
            Assert.True(response.StatusCode == HttpStatusCode.Created, body.Compact());
        }

        var all = TransferClient.Lines(await _client.ExportTextAsync($"/api/events/export?componentId={component}"));
        var clicks = TransferClient.Lines(await _client.ExportTextAsync($"/api/events/export?componentId={component}&type=click"));
        var (response2, csv) = await _client.ExportAsync($"/api/events/export?componentId={component}&format=csv");
        var (header, rows) = TransferClient.ParseCsv(csv);
        var (badType, _) = await _client.GetJsonAsync("/api/events/export?type=SCROLL");
        var later = TransferClient.Lines(await _client.ExportTextAsync(
            $"/api/events/export?componentId={component}&from={TransferClient.Iso(DateTimeOffset.UtcNow.AddMinutes(5))}"));

        Assert.Equal(3, all.Count);
        Assert.Equal(["id", "eventType", "userId", "sessionId", "componentId", "elementId", "keyword", "postId", "occurredAt"], all[0].Select(p => p.Key));
        Assert.Equal(["CLICK", "PAGE_VIEW", "CLICK"], all.Select(e => e["eventType"].Str()));
        Assert.Equal(component, all[1]["componentId"].Long());
        Assert.Equal(7, all[1]["userId"].Long());
        Assert.Null(all[1]["keyword"]);
        Assert.Equal(2, clicks.Count);
        Assert.Equal("text/csv", response2.Content.Headers.ContentType!.MediaType);
        Assert.Equal("eventType", header[1]);
        Assert.Equal(["buy,button", "home", "say \"hi\""], rows.Select(r => r["elementId"]));
        Assert.Equal(HttpStatusCode.BadRequest, badType.StatusCode);
        Assert.Empty(later);
    }
}

public sealed class TrackedEventExportTests_Embedded(EmbeddedFixture fixture) : TrackedEventExportTests(fixture), IClassFixture<EmbeddedFixture>;

public sealed class TrackedEventExportTests_Server(ServerFixture fixture) : TrackedEventExportTests(fixture), IClassFixture<ServerFixture>;
