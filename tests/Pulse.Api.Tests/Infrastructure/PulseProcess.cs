using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Pulse.Redis.Tests.Infrastructure;

namespace Pulse.Api.Tests.Infrastructure;

/// <summary>
/// Pulse as a real child process (the built Pulse.Api.dll next to the tests), for what only a process shows:
/// signals, shutdown, start-up. Stopped by its PID.
/// </summary>
public sealed partial class PulseProcess : IAsyncDisposable
{
    private readonly Process _process;

    private PulseProcess(Process process, int port)
    {
        _process = process;
        BaseAddress = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
    }

    public Uri BaseAddress { get; }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public static async Task<PulseProcess> StartAsync(IReadOnlyDictionary<string, string> environment)
    {
        var port = FreePort.Find();
        var dll = Path.Combine(AppContext.BaseDirectory, "Pulse.Api.dll");
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = AppContext.BaseDirectory };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var pulse = new PulseProcess(process, port);
        await pulse.WaitUntilReadyAsync();
        return pulse;
    }

    /// <summary>Sends SIGTERM, as an orchestrator does to stop a container.</summary>
    public void Terminate()
    {
        if (Kill(_process.Id, 15) != 0)
        {
            throw new InvalidOperationException($"kill(SIGTERM) failed for PID {_process.Id}");
        }
    }

    public Task WaitForExitAsync(TimeSpan timeout) => _process.WaitForExitAsync().WaitAsync(timeout);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private async Task WaitUntilReadyAsync()
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline && !_process.HasExited)
        {
            try
            {
                if ((await client.GetAsync("/health/ready")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException("Pulse did not become ready within 30 s.");
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
