using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Pulse.Redis.Tests.Infrastructure;

namespace Pulse.Api.Tests.Infrastructure;

/// <summary>
/// Pulse as a real child process (the built Pulse.Api.dll next to the tests), for what only a process shows:
/// signals, shutdown, start-up. Killed by its PID when disposed, and when it fails to start.
/// </summary>
public sealed partial class PulseProcess : IAsyncDisposable
{
    private const int OutputLinesKept = 200;

    /// <summary>One readiness request; a slow answer on a busy machine is retried, not fatal.</summary>
    private static readonly TimeSpan ReadinessAttemptTimeout = TimeSpan.FromSeconds(5);

    private readonly Process _process;
    private readonly Queue<string> _output = new();

    private PulseProcess(Process process, int port)
    {
        _process = process;
        BaseAddress = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        _process.OutputDataReceived += (_, line) => Keep(line.Data);
        _process.ErrorDataReceived += (_, line) => Keep(line.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public Uri BaseAddress { get; }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>
    /// Starts Pulse and waits (up to <see cref="Eventually.Patience"/>) until /health/ready answers 200. If it exits
    /// first, fails at once with its output; if it does not become ready, kills it before throwing.
    /// </summary>
    public static async Task<PulseProcess> StartAsync(IReadOnlyDictionary<string, string> environment, string listenHost = "127.0.0.1")
    {
        for (var attempt = 1; ; attempt++)
        {
            var pulse = Start(environment, listenHost);
            try
            {
                await pulse.WaitUntilReadyAsync();
                return pulse;
            }
            catch (PortTakenException) when (attempt < 3)
            {
                // FreePort's port was taken by someone else between the check and Kestrel's bind: try another.
                await pulse.DisposeAsync();
            }
            catch
            {
                await pulse.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>Sends SIGTERM, as an orchestrator does to stop a container.</summary>
    public void Terminate()
    {
        if (Kill(_process.Id, 15) != 0)
        {
            throw new InvalidOperationException($"kill(SIGTERM) failed for PID {_process.Id}");
        }
    }

    /// <summary>Sends SIGKILL: the process dies at once, without running any shutdown code (a crash).</summary>
    public void Kill()
    {
        if (Kill(_process.Id, 9) != 0)
        {
            throw new InvalidOperationException($"kill(SIGKILL) failed for PID {_process.Id}");
        }
    }

    public Task WaitForExitAsync(TimeSpan timeout) => _process.WaitForExitAsync().WaitAsync(timeout);

    /// <summary>What the process printed (standard output and error, interleaved; the last lines).</summary>
    public string Output() => OutputLines();

    /// <summary>
    /// Runs a command-line command of Pulse (<c>keys create ...</c>) to its end: its exit code, standard output and
    /// standard error. Killed by its PID if it has not finished within <see cref="Eventually.Patience"/>.
    /// </summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunCommandAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        using var process = Process.Start(StartInfo(environment, args)) ?? throw new InvalidOperationException("dotnet did not start");
        try
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(Eventually.Patience);
            return (process.ExitCode, await output, await error);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }

    /// <summary>Kills the process (SIGKILL to its PID) if it still runs, and waits until it is gone.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                await _process.WaitForExitAsync().WaitAsync(Eventually.Patience);
            }
        }
        finally
        {
            _process.Dispose();
        }
    }

    /// <summary>Starts Pulse listening on <paramref name="listenHost"/> without waiting for it (see <see cref="WaitForExitAsync"/>).</summary>
    public static PulseProcess Start(IReadOnlyDictionary<string, string> environment, string listenHost = "127.0.0.1")
    {
        var port = FreePort.Find();
        var start = StartInfo(environment, "--urls", $"http://{listenHost}:{port.ToString(CultureInfo.InvariantCulture)}");
        return new PulseProcess(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start"), port);
    }

    /// <summary>The built Pulse.Api.dll next to the tests, run by dotnet with these arguments and environment.</summary>
    private static ProcessStartInfo StartInfo(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = AppContext.BaseDirectory };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Pulse.Api.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return start;
    }

    private async Task WaitUntilReadyAsync()
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = ReadinessAttemptTimeout };
        var started = Stopwatch.GetTimestamp();
        string lastAttempt = "no answer yet";
        while (Stopwatch.GetElapsedTime(started) < Eventually.Patience)
        {
            if (_process.HasExited)
            {
                // Exited early: its output says why, and waiting longer cannot help.
                await _process.WaitForExitAsync(); // flushes the redirected output
                var output = OutputLines();
                if (output.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
                {
                    throw new PortTakenException(output);
                }

                throw new InvalidOperationException($"Pulse (PID {_process.Id}) exited with {_process.ExitCode} before it was ready. Its output:\n{output}");
            }

            try
            {
                using var response = await client.GetAsync("/health/ready");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }

                lastAttempt = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet, or one answer slower than ReadinessAttemptTimeout: ask again.
                lastAttempt = $"{ex.GetType().Name}: {ex.Message}";
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException(
            $"Pulse (PID {_process.Id}) did not become ready within {Eventually.Patience.TotalSeconds:0} s; last attempt: {lastAttempt}. Its output:\n{OutputLines()}");
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Enqueue(line);
            if (_output.Count > OutputLinesKept)
            {
                _output.Dequeue();
            }
        }
    }

    private string OutputLines()
    {
        lock (_output)
        {
            return _output.Count == 0 ? "(none)" : string.Join('\n', _output);
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    private sealed class PortTakenException(string output) : Exception($"The port was taken before Pulse could bind it:\n{output}");
}
