using System.Globalization;
using System.Text;

namespace Pulse.Redis.Resp;

/// <summary>
/// Connection settings, usually parsed from a StackExchange.Redis-style string such as
/// <c>redis1:6379,redis2:6379,password=secret,syncTimeout=1000</c>, so existing configuration keeps working.
/// </summary>
public sealed class RedisConfiguration
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMilliseconds(2000);

    public required IReadOnlyList<RedisEndpoint> Endpoints { get; init; }

    /// <summary>ACL user name; null authenticates as the default user.</summary>
    public string? User { get; init; }

    public string? Password { get; init; }

    /// <summary>Upper bound for establishing a socket and authenticating (connectTimeout).</summary>
    public TimeSpan ConnectTimeout { get; init; } = DefaultTimeout;

    /// <summary>Upper bound for waiting on any single reply (syncTimeout / timeout).</summary>
    public TimeSpan CommandTimeout { get; init; } = DefaultTimeout;

    /// <summary>Database selected on every connection; standalone servers only (cluster nodes refuse SELECT).</summary>
    public int DefaultDatabase { get; init; }

    /// <summary>Sent with CLIENT SETNAME so operators can spot our connections in CLIENT LIST; null skips it.</summary>
    public string? ClientName { get; init; } = "pulse";

    /// <summary>
    /// Parses a comma-separated list of <c>host[:port]</c> endpoints and <c>name=value</c> options:
    /// password, user, connectTimeout, syncTimeout (alias timeout), abortConnect (ignored: the client never
    /// aborts, it reconnects lazily), ssl (only false; TLS is not supported), defaultDatabase, name.
    /// </summary>
    /// <exception cref="ArgumentException">The string is empty, malformed, asks for TLS, or names an unknown option.</exception>
    public static RedisConfiguration Parse(string configuration)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(configuration);
        var endpoints = new List<RedisEndpoint>();
        string? user = null, password = null, clientName = "pulse";
        TimeSpan connectTimeout = DefaultTimeout, commandTimeout = DefaultTimeout;
        var database = 0;

        foreach (var rawToken in configuration.Split(','))
        {
            var token = rawToken.Trim();
            if (token.Length == 0)
            {
                continue;
            }
            var equals = token.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                endpoints.Add(RedisEndpoint.Parse(token));
                continue;
            }

            var name = token[..equals].Trim();
            // Only the first '=' separates: passwords may contain '='.
            var value = token[(equals + 1)..].Trim();
            switch (name.ToUpperInvariant())
            {
                case "PASSWORD":
                    password = value;
                    break;
                case "USER":
                    user = value;
                    break;
                case "CONNECTTIMEOUT":
                    connectTimeout = ParseMilliseconds(name, value);
                    break;
                case "SYNCTIMEOUT" or "TIMEOUT":
                    commandTimeout = ParseMilliseconds(name, value);
                    break;
                case "ABORTCONNECT":
                    ParseBoolean(name, value);
                    break;
                case "SSL":
                    if (ParseBoolean(name, value))
                    {
                        throw new ArgumentException(
                            "ssl=true: TLS is not supported by Pulse's Redis client. Use a plain-TCP Redis endpoint on a trusted network (or a local TLS-terminating proxy).",
                            nameof(configuration));
                    }
                    break;
                case "DEFAULTDATABASE":
                    database = ParseInteger(name, value, minimum: 0);
                    break;
                case "NAME":
                    clientName = value.Length == 0 ? null : value;
                    break;
                default:
                    throw new ArgumentException(
                        $"Unknown Redis configuration option '{name}'. Supported: password, user, connectTimeout, syncTimeout, timeout, abortConnect, ssl, defaultDatabase, name.",
                        nameof(configuration));
            }
        }

        if (endpoints.Count == 0)
        {
            throw new ArgumentException("The Redis configuration names no endpoint (expected e.g. 'localhost:6379').", nameof(configuration));
        }
        return new RedisConfiguration
        {
            Endpoints = endpoints,
            User = user,
            Password = password,
            ConnectTimeout = connectTimeout,
            CommandTimeout = commandTimeout,
            DefaultDatabase = database,
            ClientName = clientName,
        };
    }

    /// <summary>The configuration as a string, with the password masked so it can be logged.</summary>
    public override string ToString()
    {
        var text = new StringBuilder(string.Join(',', Endpoints));
        if (User is not null)
        {
            text.Append(",user=").Append(User);
        }
        if (Password is not null)
        {
            text.Append(",password=*****");
        }
        text.Append(CultureInfo.InvariantCulture, $",connectTimeout={(long)ConnectTimeout.TotalMilliseconds}");
        text.Append(CultureInfo.InvariantCulture, $",syncTimeout={(long)CommandTimeout.TotalMilliseconds}");
        if (DefaultDatabase != 0)
        {
            text.Append(CultureInfo.InvariantCulture, $",defaultDatabase={DefaultDatabase}");
        }
        return text.ToString();
    }

    private static TimeSpan ParseMilliseconds(string name, string value) =>
        TimeSpan.FromMilliseconds(ParseInteger(name, value, minimum: 1));

    private static int ParseInteger(string name, string value, int minimum)
    {
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < minimum)
        {
            throw new ArgumentException($"Redis configuration option '{name}' must be an integer >= {minimum}, got '{value}'.", nameof(value));
        }
        return number;
    }

    private static bool ParseBoolean(string name, string value) =>
        bool.TryParse(value, out var flag)
            ? flag
            : throw new ArgumentException($"Redis configuration option '{name}' must be true or false, got '{value}'.", nameof(value));
}
