using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Pulse.Api.Tests.Infrastructure;

namespace Pulse.Api.Tests.Posts;

/// <summary>A redis-server process of a test's own, so the test can kill it (by its Process, never by name).</summary>
public sealed class OwnRedisServer : IAsyncDisposable
{
    private Process? _process;

    private OwnRedisServer(int port) => Port = port;

    public int Port { get; }

    public string Configuration => $"127.0.0.1:{Port}";

    public static async Task<OwnRedisServer> StartAsync(int? port = null)
    {
        var server = new OwnRedisServer(port ?? Pulse.Redis.Tests.Infrastructure.FreePort.Find());
        try
        {
            await server.RestartAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts (again) on the same port and waits until it answers PING; kills it if it does not.</summary>
    public async Task RestartAsync()
    {
        var start = new ProcessStartInfo(TestEnvironment.RedisServerBinary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" })
        {
            start.ArgumentList.Add(arg);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var started = Stopwatch.GetTimestamp();
        while (!await AnswersPingAsync())
        {
            if (_process.HasExited || Stopwatch.GetElapsedTime(started) > Eventually.Patience)
            {
                var exited = _process.HasExited ? $"exited with {_process.ExitCode}" : $"did not answer PING within {Eventually.Patience.TotalSeconds:0} s";
                await KillAsync();
                throw new InvalidOperationException($"redis-server on port {Port} {exited}");
            }

            await Task.Delay(50);
        }
    }

    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
    }

    private async Task<bool> AnswersPingAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, Port);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray());
            var buffer = new byte[16];
            // One attempt may be slow on a busy machine; the caller asks again until its deadline.
            var read = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(2));
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is SocketException or IOException or TimeoutException)
        {
            return false;
        }
    }
}
