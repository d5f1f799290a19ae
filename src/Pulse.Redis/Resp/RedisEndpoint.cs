using System.Globalization;

namespace Pulse.Redis.Resp;

/// <summary>A Redis node address. IPv6 literals are written in brackets: <c>[::1]:6379</c>.</summary>
public readonly record struct RedisEndpoint(string Host, int Port)
{
    public const int DefaultPort = 6379;

    /// <summary>Parses <c>host</c>, <c>host:port</c> or <c>[ipv6]:port</c>.</summary>
    public static RedisEndpoint Parse(string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        text = text.Trim();
        string host;
        string? port = null;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                throw new ArgumentException($"Invalid Redis endpoint '{text}': missing ']'.", nameof(text));
            }
            host = text[1..close];
            var rest = text[(close + 1)..];
            if (rest.Length > 0)
            {
                port = rest.StartsWith(':') ? rest[1..] : throw new ArgumentException($"Invalid Redis endpoint '{text}'.", nameof(text));
            }
        }
        else
        {
            var colon = text.LastIndexOf(':');
            // A bare IPv6 address has several colons and no port.
            if (colon >= 0 && text.IndexOf(':', StringComparison.Ordinal) == colon)
            {
                host = text[..colon];
                port = text[(colon + 1)..];
            }
            else
            {
                host = text;
            }
        }

        if (host.Length == 0)
        {
            throw new ArgumentException($"Invalid Redis endpoint '{text}': empty host.", nameof(text));
        }
        var portNumber = DefaultPort;
        if (port is not null
            && (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out portNumber) || portNumber is < 1 or > 65535))
        {
            throw new ArgumentException($"Invalid Redis endpoint '{text}': port must be 1-65535.", nameof(text));
        }
        return new RedisEndpoint(host, portNumber);
    }

    public override string ToString() =>
        Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
