using StackExchange.Redis;

namespace Pulse.Redis;

/// <summary>
/// Pulse's Redis settings: StackExchange.Redis' own configuration string (<see cref="ConfigurationOptions.Parse(string)"/>:
/// endpoints, <c>password=</c>, <c>user=</c>, <c>ssl=</c>, <c>serviceName=</c> for Sentinel, ...), with Pulse's defaults
/// for what the string leaves unset. Redis is an accelerator, so the defaults make Pulse start while Redis is down and
/// keep a request from waiting long on a Redis that does not answer (see README.md, "Timeouts").
/// </summary>
public static class RedisConfiguration
{
    /// <summary>Default <c>connectTimeout</c> and <c>syncTimeout</c>/<c>asyncTimeout</c>, in milliseconds.</summary>
    public const int DefaultTimeoutMilliseconds = 1000;

    /// <summary>
    /// How often the multiplexer checks for timed-out commands and dead connections (the library's default is 1 s). A
    /// command's timeout is noticed on the next check, so this is added to the worst case of every wait.
    /// </summary>
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// The longest a single Redis command can hold up its caller with these settings: the longer of the command and
    /// connect timeouts, noticed at the next heartbeat.
    /// </summary>
    public static TimeSpan LongestWait(ConfigurationOptions options) =>
        TimeSpan.FromMilliseconds(Math.Max(Math.Max(options.AsyncTimeout, options.SyncTimeout), options.ConnectTimeout)) + options.HeartbeatInterval;

    public static ConfigurationOptions Parse(string configuration)
    {
        var options = ConfigurationOptions.Parse(configuration);
        if (!Names(configuration, "abortConnect"))
        {
            // Start (and keep running) without Redis; the multiplexer reconnects in the background.
            options.AbortOnConnectFail = false;
        }

        if (!Names(configuration, "connectTimeout"))
        {
            options.ConnectTimeout = DefaultTimeoutMilliseconds;
        }

        if (!Names(configuration, "syncTimeout"))
        {
            options.SyncTimeout = DefaultTimeoutMilliseconds;
        }

        if (!Names(configuration, "asyncTimeout"))
        {
            // As in the library: the async timeout follows the sync one.
            options.AsyncTimeout = options.SyncTimeout;
        }

        // While a node is unreachable, fail its commands at once instead of queueing them until it is back: the caller
        // falls back to the database, which is faster than any wait for a reconnect.
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.HeartbeatInterval = HeartbeatInterval;
        return options;
    }

    /// <summary>Whether the configuration string sets <paramref name="option"/> itself (keys are case-insensitive).</summary>
    private static bool Names(string configuration, string option)
    {
        foreach (var range in configuration.AsSpan().Split(','))
        {
            var part = configuration.AsSpan()[range].Trim();
            if (part.Length > option.Length && part[option.Length] == '=' && part.StartsWith(option, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
