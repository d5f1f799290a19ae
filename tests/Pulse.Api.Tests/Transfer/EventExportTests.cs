using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Pulse.Api.Tests.Crm;
using Pulse.Api.Tests.Infrastructure;
using Pulse.Api.Tests.Sdk;

namespace Pulse.Api.Tests.Transfer;

/// <summary>GET /api/v1/events/export: every matching CRM event, NDJSON or CSV, streamed in keyset pages. Each test exports its own user or event name.</summary>
public abstract class EventExportTests(PulseFixture fixture)
{
    private readonly HttpClient _client = fixture.Client;

    [Fact]
    public async Task Ndjson_lines_hold_every_field_of_crm_and_sdk_events_in_id_order()
    {
        var user = TestEnvironment.Unique("export-user");
        var campaign = TestEnvironment.Unique("export-campaign");
        await _client.CreateUserAsync(user);
        await _client.CreateCampaignAsync(campaign, "action");
        var linked = await _client.SaveEventAsync("purchase", user, campaign, ("action", "buy"));
        var plain = await _client.SaveEventAsync("view", user, null, ("page", "/home"), ("amount", "5"));
        var messageId = TestEnvironment.Unique("m");
        var (sdk, _) = await _client.SendSdkAsync("/v1/track", new { @event = "upgrade", userId = user, messageId, properties = new { plan = new { tier = "pro" } } });

        var (response, body) = await _client.ExportAsync($"/api/v1/events/export?externalId={user}");

        Assert.Equal(HttpStatusCode.OK, sdk.StatusCode);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition!.DispositionType);
        Assert.EndsWith(".ndjson", response.Content.Headers.ContentDisposition.FileName!.Trim('"'), StringComparison.Ordinal);
        Assert.EndsWith("\n", body, StringComparison.Ordinal);
        var lines = TransferClient.Lines(body);
        Assert.Equal(3, lines.Count);
        Assert.Equal(linked["id"].Long(), lines[0]["id"].Long());
        Assert.Equal(plain["id"].Long(), lines[1]["id"].Long());
        Assert.Equal(["id", "name", "externalId", "eventTime", "receivedAt", "properties", "campaign", "message", "sentAt", "timeClamped"], lines[0].Select(p => p.Key));
        Assert.Equal("purchase", lines[0]["name"].Str());
        Assert.Equal(user, lines[0]["externalId"].Str());
        Assert.Equal(campaign, lines[0]["campaign"].Str());
        Assert.Equal("""{"action":"buy"}""", lines[0]["properties"]!.ToJsonString());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", lines[0]["eventTime"].Str());
        Assert.Equal(lines[0]["eventTime"].Str(), lines[0]["receivedAt"].Str());
        Assert.Null(lines[0]["message"]);
        Assert.False(lines[0]["timeClamped"]!.GetValue<bool>());
        Assert.Null(lines[1]["campaign"]);
        Assert.Equal("""{"page":"/home","amount":"5"}""", lines[1]["properties"]!.ToJsonString());
        Assert.Equal("upgrade", lines[2]["name"].Str());
        Assert.Equal("pro", lines[2]["properties"]!["plan.tier"].Str());
        Assert.Equal(messageId, lines[2]["message"]!["messageId"].Str());
    }

    [Fact]
    public async Task Csv_quotes_commas_quotes_newlines_korean_and_emoji_and_an_rfc_4180_reader_reads_them_back()
    {
        var user = TestEnvironment.Unique("csv-user");
        await _client.CreateUserAsync(user);
        await _client.SaveEventAsync("csv", user, null, ("comma", "a,b"), ("quote", "say \"hi\""), ("newline", "line 1\nline 2\r\nline 3"));
        await _client.SaveEventAsync("csv", user, null, ("korean", "고양이 사진"), ("emoji", "🐱🚀 done"), ("comma", "plain"));

        var (response, body) = await _client.ExportAsync($"/api/v1/events/export?externalId={user}&format=csv");
        var bytes = await (await _client.GetAsync($"/api/v1/events/export?externalId={user}&format=csv")).Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType.CharSet);
        Assert.EndsWith(".csv", response.Content.Headers.ContentDisposition!.FileName!.Trim('"'), StringComparison.Ordinal);
        Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes("고양이 사진")) >= 0, "Korean is written as UTF-8");
        Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes("🐱🚀")) >= 0, "emoji are written as UTF-8");
        var (header, rows) = TransferClient.ParseCsv(body);
        Assert.Equal(
            ["id", "name", "externalId", "eventTime", "receivedAt", "campaign", "sentAt", "timeClamped",
             "properties.comma", "properties.emoji", "properties.korean", "properties.newline", "properties.quote"],
            header);
        Assert.Equal(2, rows.Count);
        Assert.Equal("a,b", rows[0]["properties.comma"]);
        Assert.Equal("say \"hi\"", rows[0]["properties.quote"]);
        Assert.Equal("line 1\nline 2\r\nline 3", rows[0]["properties.newline"]);
        Assert.Equal("", rows[0]["properties.korean"]);
        Assert.Equal("고양이 사진", rows[1]["properties.korean"]);
        Assert.Equal("🐱🚀 done", rows[1]["properties.emoji"]);
        Assert.Equal("plain", rows[1]["properties.comma"]);
        Assert.Equal(user, rows[1]["externalId"]);
        Assert.Equal("false", rows[1]["timeClamped"]);
        Assert.EndsWith("\r\n", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Event_name_where_and_the_event_time_range_filter_the_export()
    {
        var user = TestEnvironment.Unique("filter-user");
        var name = TestEnvironment.Unique("filtered");
        await _client.CreateUserAsync(user);
        foreach (var (eventName, action) in new[] { (name, "buy"), (name, "sell"), ("other", "buy"), (name, "buy") })
        {
            await _client.SaveEventAsync(eventName, user, null, ("action", action));
            await Task.Delay(20); // distinct event times
        }

        var all = TransferClient.Lines(await _client.ExportTextAsync($"/api/v1/events/export?externalId={user}"));
        var byName = TransferClient.Lines(await _client.ExportTextAsync($"/api/v1/events/export?eventName={name}"));
        var bought = TransferClient.Lines(await _client.ExportTextAsync($"/api/v1/events/export?eventName={name}&where={CrmClient.Encode("action&buy&=&end")}"));
        var unencoded = TransferClient.Lines(await _client.ExportTextAsync($"/api/v1/events/export?eventName={name}&where=action&buy&=&end&format=ndjson"));
        var second = all[1]["eventTime"].Str();
        var last = all[3]["eventTime"].Str();
        var window = TransferClient.Lines(await _client.ExportTextAsync($"/api/v1/events/export?externalId={user}&from={second}&to={last}"));

        Assert.Equal(4, all.Count);
        Assert.Equal([all[0]["id"].Long(), all[1]["id"].Long(), all[3]["id"].Long()], byName.Select(e => e["id"].Long()));
        Assert.Equal([all[0]["id"].Long(), all[3]["id"].Long()], bought.Select(e => e["id"].Long()));
        Assert.Equal(bought.Select(e => e["id"].Long()), unencoded.Select(e => e["id"].Long()));
        Assert.Equal([all[1]["id"].Long(), all[2]["id"].Long()], window.Select(e => e["id"].Long()));
    }

    [Fact]
    public async Task A_malformed_where_is_the_same_400_as_the_search_and_a_bad_format_is_a_400()
    {
        var where = CrmClient.Encode("action&buy&lik&end");

        var (export, exportBody) = await _client.GetJsonAsync($"/api/v1/events/export?where={where}");
        var (search, searchBody) = await _client.GetJsonAsync($"/api/v1/events?where={where}");
        var (format, formatBody) = await _client.GetJsonAsync("/api/v1/events/export?format=xml");
        var (time, _) = await _client.GetJsonAsync("/api/v1/events/export?from=yesterday");

        Assert.Equal(HttpStatusCode.BadRequest, export.StatusCode);
        Assert.Equal("application/problem+json", export.Content.Headers.ContentType!.MediaType);
        Assert.Equal(HttpStatusCode.BadRequest, search.StatusCode);
        Assert.Equal(searchBody["errors"]!["where"]!.ToJsonString(), exportBody["errors"]!["where"]!.ToJsonString());
        Assert.Contains("unknown operation 'lik'", exportBody["detail"].Str(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, format.StatusCode);
        Assert.NotNull(formatBody["errors"]!["format"]);
        Assert.Equal(HttpStatusCode.BadRequest, time.StatusCode);
    }

    [Fact]
    public async Task An_export_larger_than_one_page_is_streamed_chunked_with_every_event_once_in_id_order()
    {
        var user = TestEnvironment.Unique("page-user");
        var name = TestEnvironment.Unique("paged");
        await _client.CreateUserAsync(user);
        const int Count = Pulse.Core.Transfer.EventExport.PageSize + 1200;
        for (var sent = 0; sent < Count; sent += 1000)
        {
            var batch = Enumerable.Range(sent, Math.Min(1000, Count - sent))
                .Select(i => new { name, externalId = user, properties = new[] { new { key = "n", value = i.ToString(System.Globalization.CultureInfo.InvariantCulture) } } })
                .ToArray();
            var (saved, body) = await _client.PostAsync("/api/v1/events/batch", batch);
            Assert.True(saved.StatusCode == HttpStatusCode.OK && body["data"]!["failed"]!.GetValue<int>() == 0, body.Compact());
        }

        using var response = await _client.GetAsync($"/api/v1/events/export?eventName={name}", HttpCompletionOption.ResponseHeadersRead);
        var ids = new List<long>();
        var values = new List<string>();
        await using (var stream = await response.Content.ReadAsStreamAsync())
        using (var reader = new StreamReader(stream, Encoding.UTF8))
        {
            while (await reader.ReadLineAsync() is { } line)
            {
                var node = JsonNode.Parse(line)!;
                ids.Add(node["id"].Long());
                values.Add(node["properties"]!["n"].Str());
            }
        }

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.TransferEncodingChunked, "the export is sent in chunks as it is read, not buffered");
        Assert.Null(response.Content.Headers.ContentLength);
        Assert.Equal(Count, ids.Count);
        Assert.Equal(ids.Order(), ids);
        Assert.Equal(Count, ids.Distinct().Count());
        Assert.Equal(Enumerable.Range(0, Count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), values);
    }
}

public sealed class EventExportTests_Embedded(KestrelEmbeddedFixture fixture) : EventExportTests(fixture), IClassFixture<KestrelEmbeddedFixture>;

public sealed class EventExportTests_Server(KestrelServerFixture fixture) : EventExportTests(fixture), IClassFixture<KestrelServerFixture>;
