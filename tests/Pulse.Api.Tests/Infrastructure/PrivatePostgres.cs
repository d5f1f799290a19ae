using System.Diagnostics;
using System.Globalization;
using Npgsql;
using Pulse.Redis.Tests.Infrastructure;

namespace Pulse.Api.Tests.Infrastructure;

/// <summary>
/// A PostgreSQL server only one test uses, so it may be stopped and started mid-test. Runs the binaries
/// scripts/test.sh found (PULSE_TEST_PG_BINDIR), as the postgres user when the tests run as root.
/// </summary>
public sealed class PrivatePostgres : IAsyncDisposable
{
    private readonly string _bin = Environment.GetEnvironmentVariable("PULSE_TEST_PG_BINDIR") is { Length: > 0 } bin ? bin : "/usr/lib/postgresql/15/bin";
    private readonly string? _runAs = Environment.GetEnvironmentVariable("PULSE_TEST_PG_RUNAS") is { Length: > 0 } user ? user : null;
    private readonly string _directory = Directory.CreateTempSubdirectory("pulse-private-pg-").FullName;

    public int Port { get; } = FreePort.Find();

    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Timeout=3;Command Timeout=5";

    public static async Task<PrivatePostgres> StartAsync()
    {
        var server = new PrivatePostgres();
        try
        {
            if (server._runAs is not null)
            {
                await RunAsync("chown", "-R", server._runAs, server._directory);
            }

            await server.PgAsync("initdb", "-D", server.DataDirectory, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8");
            await server.StartServerAsync();
            return server;
        }
        catch
        {
            // pg_ctl -w gives up after 60 s but leaves a slow server starting: stop it (pg_ctl signals the PID in
            // its postmaster.pid) and remove its files before the failure reaches the test.
            await server.DisposeAsync();
            throw;
        }
    }

    private string DataDirectory => Path.Combine(_directory, "data");

    public Task StartServerAsync() => PgAsync(
        "pg_ctl", "-D", DataDirectory, "-w", "-l", Path.Combine(_directory, "log"),
        "-o", $"-p {Port.ToString(CultureInfo.InvariantCulture)} -k {_directory} -c listen_addresses=127.0.0.1 -c fsync=off",
        "start");

    /// <summary>Stops at once, like a crash: open transactions are aborted, nothing is flushed politely.</summary>
    public Task StopServerAsync() => PgAsync("pg_ctl", "-D", DataDirectory, "-m", "immediate", "-w", "stop");

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopServerAsync();
        }
        catch (InvalidOperationException)
        {
            // Already stopped.
        }

        NpgsqlConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private Task PgAsync(string tool, params string[] args) =>
        _runAs is null
            ? RunAsync(Path.Combine(_bin, tool), args)
            : RunAsync("runuser", ["-u", _runAs, "--", Path.Combine(_bin, tool), .. args]);

    private static async Task RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited with {process.ExitCode}: {await error}{await output}");
        }
    }
}
