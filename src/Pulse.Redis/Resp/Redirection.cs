using System.Globalization;

namespace Pulse.Redis.Resp;

/// <summary>A cluster redirect error: <c>MOVED 3999 127.0.0.1:6381</c> or <c>ASK 3999 127.0.0.1:6381</c>.</summary>
internal readonly record struct Redirection(bool IsAsk, int Slot, RedisEndpoint Endpoint)
{
    public static bool TryParse(string error, RedisEndpoint current, out Redirection redirection)
    {
        redirection = default;
        var isAsk = error.StartsWith("ASK ", StringComparison.Ordinal);
        if (!isAsk && !error.StartsWith("MOVED ", StringComparison.Ordinal))
        {
            return false;
        }
        var parts = error.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 3 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var slot) || slot >= RedisHashSlot.SlotCount)
        {
            return false;
        }
        // "host:port"; IPv6 hosts are not bracketed and an unknown host is empty (":port"), meaning the node we asked.
        var address = parts[2];
        var colon = address.LastIndexOf(':');
        if (colon < 0 || !int.TryParse(address.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port))
        {
            return false;
        }
        var host = colon == 0 ? current.Host : address[..colon].Trim('[', ']');
        redirection = new Redirection(isAsk, slot, new RedisEndpoint(host, port));
        return true;
    }
}
