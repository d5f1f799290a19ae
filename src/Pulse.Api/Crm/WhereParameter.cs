namespace Pulse.Api.Crm;

/// <summary>
/// Reads the <c>where</c> parameter from the raw query string. The DSL uses '&amp;' itself, so clients should
/// send it as %26; the seed README's unencoded form (<c>?eventName=purchase&amp;where=action&amp;buy&amp;=&amp;end</c>)
/// is accepted too: the value then runs to the next segment that starts a known parameter (or to the end).
/// </summary>
internal static class WhereParameter
{
    private static readonly string[] KnownParameters = ["eventName=", "externalId=", "from=", "to=", "after=", "limit=", "order=", "format="];

    public static string? Read(HttpRequest request)
    {
        var raw = request.QueryString.Value;
        if (string.IsNullOrEmpty(raw))
        {
            return null;
        }

        var segments = raw.TrimStart('?').Split('&');
        var start = Array.FindIndex(segments, s => s.StartsWith("where=", StringComparison.Ordinal));
        if (start < 0)
        {
            return null;
        }

        var end = start + 1;
        while (end < segments.Length && !StartsKnownParameter(segments[end]))
        {
            end++;
        }

        var value = string.Join('&', segments[start..end])["where=".Length..];
        return Uri.UnescapeDataString(value.Replace('+', ' '));
    }

    private static bool StartsKnownParameter(string segment)
    {
        foreach (var known in KnownParameters)
        {
            if (segment.StartsWith(known, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
