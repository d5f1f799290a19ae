using System.Net;
using System.Text;
using System.Text.Json;
using Pulse.Api.Tests.Crm;
using Pulse.Api.Tests.Infrastructure;
using Pulse.Api.Tests.Lifecycle;
using Pulse.Api.Tests.Sdk;

namespace Pulse.Api.Tests.Transfer;

/// <summary>POST /api/v1/events/import: an NDJSON export back in, gzip accepted, each event stored once however often it is sent.</summary>
public abstract class EventImportTests(PulseFixture fixture)
{
    private readonly HttpClient _client = fixture.Client;

    /// <summary>A new, empty Pulse of the same mode (the caller initializes and disposes it).</summary>
    protected abstract PulseFixture CreateEmptyPulse();

    [Fact]
    public async Task A_gzipped_import_stores_each_event_with_its_own_times_and_user_and_importing_it_again_stores_nothing()
    {
        var user = TestEnvironment.Unique("import-user");
        var name = TestEnvironment.Unique("imported");
        var missing = TestEnvironment.Unique("no-such-campaign");
        var time = new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);
        var file = string.Join('\n',
            Line(1, name, user, time, time.AddSeconds(2), """{"action":"buy","amount":"10"}"""),
            Line(2, name, user, time.AddHours(1), time.AddHours(1), """{"note":"고양이 🐱, \"quoted\"\nnext"}""", campaign: missing),
            Line(3, name, user, time.AddHours(2), time.AddHours(2), "{}",
                message: """{"type":"track","event":"x","messageId":"m-1","properties":{"a":{"b":1}}}""", sentAt: time.AddHours(2).AddSeconds(-1))) + "\n";

        var first = await _client.ImportDataAsync(file, gzip: true);
        var second = await _client.ImportDataAsync(file);
        var exported = TransferClient.Lines(await _client.ExportTextAsync($"/api/v1/events/export?eventName={name}"));
        var found = await _client.FindAllAsync($"eventName={name}&from={TransferClient.Iso(time)}&to={TransferClient.Iso(time.AddMinutes(30))}");

        Assert.Equal(3, first["lines"].Long());
        Assert.Equal(3, first["stored"].Long());
        Assert.Equal(0, first["duplicates"].Long());
        Assert.Equal([missing], first["missingCampaigns"]!.AsArray().Select(n => n.Str()));
        Assert.Equal(0, second["stored"].Long());
        Assert.Equal(3, second["duplicates"].Long());
        Assert.Equal(0, second["rejected"].Long());
        Assert.Equal(3, exported.Count);
        Assert.Equal([TransferClient.Iso(time), TransferClient.Iso(time.AddHours(1)), TransferClient.Iso(time.AddHours(2))], exported.Select(e => e["eventTime"].Str()));
        Assert.Equal(TransferClient.Iso(time.AddSeconds(2)), exported[0]["receivedAt"].Str());
        Assert.All(exported, e => Assert.Equal(user, e["externalId"].Str()));
        Assert.Equal("고양이 🐱, \"quoted\"\nnext", exported[1]["properties"]!["note"].Str());
        Assert.Null(exported[1]["campaign"]);
        Assert.Equal("m-1", exported[2]["message"]!["messageId"].Str());
        Assert.Equal(TransferClient.Iso(time.AddHours(2).AddSeconds(-1)), exported[2]["sentAt"].Str());
        Assert.Single(found);
        Assert.Equal("buy", SdkClient.Property(found[0], "action"));
        Assert.Empty(await _client.AttributesAsync(user)); // created as the SDKs create users: attributes {}
    }

    [Fact]
    public async Task An_erased_and_suppressed_person_is_not_brought_back_by_importing_an_old_export_and_comes_back_once_lifted()
    {
        var person = TestEnvironment.Unique("import-erased");
        var other = TestEnvironment.Unique("import-kept");
        var name = TestEnvironment.Unique("reimported");
        var time = new DateTimeOffset(2025, 4, 1, 8, 0, 0, TimeSpan.Zero);
        var file = string.Join('\n',
            Line(1, name, person, time, time, """{"plan":"pro"}"""),
            Line(2, name, other, time.AddMinutes(1), time.AddMinutes(1), """{"plan":"free"}""")) + "\n";
        Assert.Equal(2, (await _client.ImportDataAsync(file))["stored"].Long());

        var erased = await _client.EraseAsync(person, suppress: true);
        var again = await _client.ImportDataAsync(file);

        Assert.Equal(1, erased.Removed("events"));
        Assert.Equal(1, erased.Removed("messageIds")); // the import's dedupe key went with the event
        Assert.Equal(0, again["stored"].Long());
        Assert.Equal(1, again["duplicates"].Long());
        Assert.Equal(1, again["rejected"].Long());
        var error = again["errors"]!.AsArray().Single()!;
        Assert.Equal(1, error["line"].Long());
        Assert.StartsWith("suppressed", error["reason"].Str(), StringComparison.Ordinal);
        Assert.Equal([other], (await _client.FindAllAsync($"eventName={name}")).Select(e => e["externalId"].Str()));

        var (lifted, _) = await _client.SendAsync(HttpMethod.Delete, $"/api/v1/suppressions/{person}");
        Assert.Equal(HttpStatusCode.NoContent, lifted.StatusCode);
        var restored = await _client.ImportDataAsync(file);

        Assert.Equal(1, restored["stored"].Long()); // stored anew: its key was erased with it
        Assert.Equal(1, restored["duplicates"].Long());
        Assert.Equal(2, (await _client.FindAllAsync($"eventName={name}")).Count);
    }

    [Fact]
    public async Task Bad_lines_are_reported_by_number_and_reason_and_the_good_ones_are_stored()
    {
        var user = TestEnvironment.Unique("bad-lines");
        var name = TestEnvironment.Unique("partly");
        var time = new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero);
        var file = new StringBuilder()
            .Append(Line(1, name, user, time, time, """{"k":"v"}""")).Append('\n')
            .Append("this is not json\n")
            .Append("""{"name":"no user","eventTime":"2025-06-01T00:00:00.000Z"}""").Append('\n')
            .Append(Line(4, name, user, time, time, """{"k":5}""")).Append('\r').Append('\n')
            .Append('\n')
            .Append(Line(6, name, user, time.AddDays(1), time.AddDays(1), """{"k":"w"}"""))
            .ToString();

        var result = await _client.ImportDataAsync(file);

        Assert.Equal(5, result["lines"].Long());
        Assert.Equal(2, result["stored"].Long());
        Assert.Equal(3, result["rejected"].Long());
        var errors = result["errors"]!.AsArray();
        Assert.Equal([2L, 3L, 4L], errors.Select(e => e!["line"].Long()));
        Assert.Contains("not valid JSON", errors[0]!["reason"].Str(), StringComparison.Ordinal);
        Assert.Contains("'externalId' is required", errors[1]!["reason"].Str(), StringComparison.Ordinal);
        Assert.Contains("property 'k' must be a string", errors[2]!["reason"].Str(), StringComparison.Ordinal);
        Assert.Equal(2, (await _client.FindAllAsync($"eventName={name}")).Count);
    }

    [Fact]
    public async Task A_body_that_is_not_gzip_but_says_so_is_a_400()
    {
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes("{\"name\":\"x\"}\n"));
        content.Headers.ContentEncoding.Add("gzip");

        var response = await _client.PostAsync("/api/v1/events/import", content);
        var body = await Json.ReadAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, body["stored"].Long());
    }

    [Fact]
    public async Task Exported_imported_into_an_empty_pulse_and_exported_again_gives_the_same_file_apart_from_ids()
    {
        var (user, campaign) = await SeedVariedEventsAsync(_client);
        var exported = await _client.ExportTextAsync($"/api/v1/events/export?externalId={user}");

        var target = CreateEmptyPulse();
        await target.InitializeAsync();
        try
        {
            await target.Client.CreateCampaignAsync(campaign, "action", "amount");
            var imported = await target.Client.ImportDataAsync(exported, gzip: true);
            var again = await target.Client.ExportTextAsync("/api/v1/events/export");

            Assert.Equal(5, imported["stored"].Long());
            Assert.Equal(TransferClient.WithoutIds(exported), TransferClient.WithoutIds(again));
        }
        finally
        {
            await target.DisposeAsync();
        }
    }

    /// <summary>Five events of a new user: linked to a campaign, unlinked, Korean and emoji, quotes and line breaks, and an SDK message.</summary>
    internal static async Task<(string User, string Campaign)> SeedVariedEventsAsync(HttpClient client)
    {
        var user = TestEnvironment.Unique("trip-user");
        var campaign = TestEnvironment.Unique("trip-campaign");
        await client.CreateUserAsync(user);
        await client.CreateCampaignAsync(campaign, "action", "amount");
        await client.SaveEventAsync("purchase", user, campaign, ("amount", "1000"), ("action", "buy"));
        await client.SaveEventAsync("purchase", user, campaign, ("action", "buy"));
        await client.SaveEventAsync("note", user, null, ("text", "고양이 🐱, \"quoted\"\nsecond line"), ("empty", ""));
        await client.SaveEventAsync("note", user, null);
        var (response, _) = await client.SendSdkAsync("/v1/track", new
        {
            @event = "upgrade",
            userId = user,
            messageId = TestEnvironment.Unique("m"),
            timestamp = "2026-01-02T03:04:05.678Z",
            sentAt = "2026-01-02T03:04:06.000Z",
            properties = new { plan = new { tier = "pro", seats = 5 }, tags = new[] { "a", "b" } },
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (user, campaign);
    }

    private static string Line(
        long id, string name, string user, DateTimeOffset time, DateTimeOffset received, string properties, string? campaign = null, string? message = null, DateTimeOffset? sentAt = null) =>
        $$"""{"id":{{id}},"name":{{JsonSerializer.Serialize(name)}},"externalId":{{JsonSerializer.Serialize(user)}},"eventTime":"{{TransferClient.Iso(time)}}","receivedAt":"{{TransferClient.Iso(received)}}","properties":{{properties}},"campaign":{{(campaign is null ? "null" : JsonSerializer.Serialize(campaign))}},"message":{{message ?? "null"}},"sentAt":{{(sentAt is { } s ? $"\"{TransferClient.Iso(s)}\"" : "null")}},"timeClamped":false}""";
}

public sealed class EventImportTests_Embedded(EmbeddedFixture fixture) : EventImportTests(fixture), IClassFixture<EmbeddedFixture>
{
    protected override PulseFixture CreateEmptyPulse() => new EmbeddedFixture();
}

public sealed class EventImportTests_Server(ServerFixture fixture) : EventImportTests(fixture), IClassFixture<ServerFixture>
{
    protected override PulseFixture CreateEmptyPulse() => new ServerFixture();
}

/// <summary>A round trip across modes: exported from embedded mode, imported into server mode, exported again.</summary>
public sealed class RoundTripAcrossModesTests(EmbeddedFixture embedded) : IClassFixture<EmbeddedFixture>
{
    [Fact]
    public async Task An_embedded_export_imported_into_server_mode_exports_the_same_apart_from_ids()
    {
        var (user, campaign) = await EventImportTests.SeedVariedEventsAsync(embedded.Client);
        var exported = await embedded.Client.ExportTextAsync($"/api/v1/events/export?externalId={user}");

        var server = new ServerFixture();
        await server.InitializeAsync();
        try
        {
            await server.Client.CreateCampaignAsync(campaign, "action", "amount");
            var imported = await server.Client.ImportDataAsync(exported);
            var again = await server.Client.ExportTextAsync("/api/v1/events/export");
            var twice = await server.Client.ImportDataAsync(exported, gzip: true);

            Assert.Equal(5, imported["stored"].Long());
            Assert.Equal(TransferClient.WithoutIds(exported), TransferClient.WithoutIds(again));
            Assert.Equal(5, twice["duplicates"].Long());
        }
        finally
        {
            await server.DisposeAsync();
        }
    }
}
