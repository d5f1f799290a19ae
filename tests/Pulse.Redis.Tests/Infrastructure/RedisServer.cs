using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Pulse.Redis.Tests.Infrastructure;

/// <summary>
/// A redis-server child process on a loopback port, started and killed by its Process object (never by name).
/// Restarting reuses the port, which is how outage tests bring "the same" server back.
/// </summary>
public sealed class RedisServer : IDisposable
{
    private readonly string[] _extraArgs;
    private Process? _process;

    private RedisServer(int port, string directory, string[] extraArgs)
    {
        Port = port;
        Directory = directory;
        _extraArgs = extraArgs;
    }

    public string Host => "127.0.0.1";

    public int Port { get; }

    /// <summary>Working directory: log file and (cluster) nodes.conf.</summary>
    public string Directory { get; }

    public string Endpoint => $"{Host}:{Port}";

    public int ProcessId => _process?.Id ?? throw new InvalidOperationException("The server is not running.");

    /// <summary>A server for <paramref name="port"/> that is not started yet (see <see cref="StartAsync()"/>).</summary>
    public static RedisServer OnPort(int port, params string[] extraArgs) =>
        new(port, System.IO.Directory.CreateTempSubdirectory("pulse-redis-test-").FullName, extraArgs);

    /// <summary>Starts a server on a fresh port; retries with another port if one was grabbed meanwhile.</summary>
    public static async Task<RedisServer> StartAsync(bool cluster = false, params string[] extraArgs)
    {
        Exception? lastError = null;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var directory = System.IO.Directory.CreateTempSubdirectory("pulse-redis-test-").FullName;
            var args = cluster
                ? [.. extraArgs, "--cluster-enabled", "yes", "--cluster-config-file", Path.Combine(directory, "nodes.conf"), "--cluster-node-timeout", "2000"]
                : extraArgs;
            var server = new RedisServer(FreePort.Find(withClusterBus: cluster), directory, args);
            try
            {
                await server.StartAsync();
                return server;
            }
            catch (InvalidOperationException ex)
            {
                lastError = ex;
                server.Dispose();
            }
        }
        throw new InvalidOperationException("Could not start redis-server.", lastError);
    }

    /// <summary>(Re)starts the process on <see cref="Port"/> and waits until it answers PING.</summary>
    public async Task StartAsync()
    {
        if (_process is { HasExited: false })
        {
            throw new InvalidOperationException("The server is already running.");
        }
        var startInfo = new ProcessStartInfo("redis-server") { UseShellExecute = false, WorkingDirectory = Directory };
        string[] args =
        [
            "--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
            "--daemonize", "no", "--dir", Directory, "--logfile", Path.Combine(Directory, "redis.log"), .. _extraArgs,
        ];
        foreach (var arg in args)
        {
            startInfo.ArgumentList.Add(arg);
        }
        _process = Process.Start(startInfo) ?? throw new InvalidOperationException("redis-server did not start.");

        var deadline = DateTime.UtcNow.AddSeconds(30); // milliseconds when idle; a busy machine is slow
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"redis-server on port {Port} exited with {_process.ExitCode}: {ReadLog()}");
            }
            if (await AnswersPingAsync())
            {
                return;
            }
            await Task.Delay(10);
        }
        Kill();
        throw new InvalidOperationException($"redis-server on port {Port} did not answer PING: {ReadLog()}");
    }

    /// <summary>Kills the process (SIGKILL), like a crash: no goodbye on open sockets beyond the kernel's RST/FIN.</summary>
    public void Kill()
    {
        if (_process is null)
        {
            return;
        }
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }
        _process.Dispose();
        _process = null;
    }

    public void Dispose()
    {
        Kill();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the temp directory is harmless.
        }
    }

    private async Task<bool> AnswersPingAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(Host, Port);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray());
            var buffer = new byte[64];
            var read = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(1));
            // A loading server answers -LOADING; one with requirepass answers -NOAUTH once it is ready.
            var reply = Encoding.ASCII.GetString(buffer, 0, read);
            return reply.StartsWith("+PONG", StringComparison.Ordinal) || reply.StartsWith("-NOAUTH", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is SocketException or IOException or TimeoutException)
        {
            return false;
        }
    }

    private string ReadLog()
    {
        var log = Path.Combine(Directory, "redis.log");
        return File.Exists(log) ? File.ReadAllText(log) : "(no log)";
    }
}
