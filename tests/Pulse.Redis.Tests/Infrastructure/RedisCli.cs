using System.Diagnostics;

namespace Pulse.Redis.Tests.Infrastructure;

/// <summary>
/// Runs redis-cli against one node. Tests use it to set up and to observe the server independently of
/// the client under test.
/// </summary>
internal static class RedisCli
{
    public static async Task<string> RunAsync(string host, int port, params string[] args)
    {
        var startInfo = new ProcessStartInfo("redis-cli")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add("-h");
        startInfo.ArgumentList.Add(host);
        startInfo.ArgumentList.Add("-p");
        startInfo.ArgumentList.Add(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var arg in args)
        {
            startInfo.ArgumentList.Add(arg);
        }

        using var process = Process.Start(startInfo)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"redis-cli {string.Join(' ', args)} exited with {process.ExitCode}: {await error}{await output}");
        }
        return (await output).Trim();
    }

    /// <summary>Reads one "name:value" line of an INFO section.</summary>
    public static async Task<string?> InfoFieldAsync(string host, int port, string section, string field)
    {
        var info = await RunAsync(host, port, "INFO", section);
        return info.Split('\n')
            .Select(line => line.Trim())
            .FirstOrDefault(line => line.StartsWith(field + ":", StringComparison.Ordinal))?[(field.Length + 1)..];
    }

    /// <summary>
    /// How often a command reached a node (INFO commandstats), e.g. "get" or "evalsha": executed calls plus
    /// rejected ones, which include those answered with MOVED or ASK.
    /// </summary>
    public static async Task<long> CommandCallsAsync(string host, int port, string command)
    {
        var stats = await InfoFieldAsync(host, port, "commandstats", "cmdstat_" + command);
        if (stats is null)
        {
            return 0;
        }
        // calls=12,usec=...,rejected_calls=1,failed_calls=0
        return stats.Split(',')
            .Select(field => field.Split('='))
            .Where(pair => pair[0] is "calls" or "rejected_calls")
            .Sum(pair => long.Parse(pair[1], System.Globalization.CultureInfo.InvariantCulture));
    }
}
