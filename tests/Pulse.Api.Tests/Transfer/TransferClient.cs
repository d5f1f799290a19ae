using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Sylvan.Data.Csv;
using Pulse.Api.Tests.Infrastructure;

namespace Pulse.Api.Tests.Transfer;

/// <summary>Exports and imports as a client does: the body read as a stream, CSV parsed by an RFC 4180 reader (CsvHelper).</summary>
public static partial class TransferClient
{
    /// <summary>The response (headers read first, as a streaming client does) and its whole body as UTF-8 text.</summary>
    public static async Task<(HttpResponseMessage Response, string Body)> ExportAsync(this HttpClient client, string pathAndQuery)
    {
        var response = await client.GetAsync(pathAndQuery, HttpCompletionOption.ResponseHeadersRead);
        var body = await response.Content.ReadAsStringAsync();
        return (response, body);
    }

    /// <summary>The export's body, asserting a 200.</summary>
    public static async Task<string> ExportTextAsync(this HttpClient client, string pathAndQuery)
    {
        var (response, body) = await client.ExportAsync(pathAndQuery);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"expected 200, got {(int)response.StatusCode}: {body}");
        return body;
    }

    public static List<JsonObject> Lines(string ndjson) =>
        [.. ndjson.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonNode.Parse(line)!.AsObject())];

    /// <summary>The header and the rows, parsed by Sylvan.Data.Csv (RFC 4180: quoted fields may hold commas, quotes and line breaks).</summary>
    public static (string[] Header, List<Dictionary<string, string>> Rows) ParseCsv(string csv)
    {
        using var parser = CsvDataReader.Create(new StringReader(csv), new CsvDataReaderOptions { Delimiter = ',', HasHeaders = true });
        var header = Enumerable.Range(0, parser.FieldCount).Select(parser.GetName).ToArray();
        var rows = new List<Dictionary<string, string>>();
        while (parser.Read())
        {
            Assert.Equal(header.Length, parser.RowFieldCount);
            rows.Add(Enumerable.Range(0, header.Length).ToDictionary(i => header[i], parser.GetString));
        }

        return (header, rows);
    }

    public static async Task<(HttpResponseMessage Response, JsonNode Body)> ImportAsync(this HttpClient client, string ndjson, bool gzip = false)
    {
        var bytes = Encoding.UTF8.GetBytes(ndjson);
        if (gzip)
        {
            using var buffer = new MemoryStream();
            using (var zip = new GZipStream(buffer, CompressionLevel.Fastest))
            {
                zip.Write(bytes);
            }

            bytes = buffer.ToArray();
        }

        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
        if (gzip)
        {
            content.Headers.ContentEncoding.Add("gzip");
        }

        var response = await client.PostAsync("/api/v1/events/import", content);
        return (response, await Json.ReadAsync(response));
    }

    /// <summary>The import's counts, asserting a 200.</summary>
    public static async Task<JsonNode> ImportDataAsync(this HttpClient client, string ndjson, bool gzip = false)
    {
        var (response, body) = await client.ImportAsync(ndjson, gzip);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"expected 200, got {(int)response.StatusCode}: {body.Compact()}");
        return body["data"]!;
    }

    /// <summary>An NDJSON export without each line's leading <c>"id":N,</c>: what a round trip keeps.</summary>
    public static string WithoutIds(string ndjson) => LeadingId().Replace(ndjson, "{");

    public static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    [GeneratedRegex("""^\{"id":\d+,""", RegexOptions.Multiline)]
    private static partial Regex LeadingId();
}
