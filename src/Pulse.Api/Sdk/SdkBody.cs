using System.IO.Compression;
using System.Text.Json;
using Pulse.Core.Sdk;

namespace Pulse.Api.Sdk;

/// <summary>
/// An SDK request's body: read once (gunzipped when <c>Content-Encoding: gzip</c> or PostHog's
/// <c>compression=gzip-js</c> / <c>gzip</c> says so), at most <see cref="SdkLimits.MaxRequestBytes"/> before and
/// after decompression, parsed, and kept on the request: the authentication handler reads the key from it
/// (<c>writeKey</c>, <c>api_key</c>) and the endpoint the messages.
/// </summary>
internal static class SdkBody
{
    private const string Item = "pulse.sdk-body";

    /// <summary>The parsed body; throws what the exception handler answers as 400 (bad JSON, bad gzip) or 413.</summary>
    public static async Task<JsonDocument> ReadAsync(HttpContext context)
    {
        if (context.Items[Item] is JsonDocument cached)
        {
            return cached;
        }

        var request = context.Request;
        if (request.ContentLength > SdkLimits.MaxRequestBytes)
        {
            throw TooLarge();
        }

        var gzip = request.Headers.ContentEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase)
            || request.Query["compression"].ToString() is "gzip-js" or "gzip";
        using var buffer = new MemoryStream();
        try
        {
            if (gzip)
            {
                await using var unzip = new GZipStream(request.Body, CompressionMode.Decompress, leaveOpen: true);
                await CopyLimitedAsync(unzip, buffer, context.RequestAborted);
            }
            else
            {
                await CopyLimitedAsync(request.Body, buffer, context.RequestAborted);
            }
        }
        catch (InvalidDataException)
        {
            throw new BadHttpRequestException("The body is not valid gzip (Content-Encoding: gzip or compression=gzip-js says it is).", StatusCodes.Status400BadRequest);
        }

        var document = JsonDocument.Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length).ToArray());
        context.Items[Item] = document;
        context.Response.RegisterForDispose(document);
        return document;
    }

    /// <summary>The key in the body (Segment's <c>writeKey</c>, PostHog's <c>api_key</c>), or null; never throws.</summary>
    public static async Task<string?> KeyAsync(HttpContext context)
    {
        try
        {
            var root = (await ReadAsync(context)).RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            foreach (var name in (ReadOnlySpan<string>)["writeKey", "api_key", "token"])
            {
                if (root.TryGetProperty(name, out var key) && key.ValueKind == JsonValueKind.String && key.GetString() is { Length: > 0 } text)
                {
                    return text;
                }
            }

            return null;
        }
        catch (Exception exception) when (exception is JsonException or BadHttpRequestException or IOException)
        {
            return null; // no key: the endpoint is refused as without one
        }
    }

    private static async Task CopyLimitedAsync(Stream source, MemoryStream destination, CancellationToken cancellationToken)
    {
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await source.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (destination.Length + read > SdkLimits.MaxRequestBytes)
            {
                throw TooLarge();
            }

            destination.Write(chunk, 0, read);
        }
    }

    private static BadHttpRequestException TooLarge() =>
        new($"The request body exceeds {SdkLimits.MaxRequestBytes / (1024 * 1024)} MiB (after decompression).", StatusCodes.Status413PayloadTooLarge);
}

/// <summary>Marks endpoints whose key may travel in the body (read by <see cref="Access.ApiKeyAuthentication"/>).</summary>
internal sealed record SdkBodyKeyMetadata;
