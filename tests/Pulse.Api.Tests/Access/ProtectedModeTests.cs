using System.Net;
using System.Net.Http.Headers;
using Pulse.Api.Tests.Infrastructure;

namespace Pulse.Api.Tests.Access;

/// <summary>
/// Protected mode and the key commands, on real processes: without any key Pulse serves openly only on loopback;
/// on another address it stops with what to do, unless Auth:AllowAnonymous says to run open; once a key exists (made
/// on the command line, on the same file) every request needs one, whatever the address.
/// </summary>
public sealed class ProtectedModeTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), TestEnvironment.Unique("pulse-protected"));
    private readonly Dictionary<string, string> _environment;

    public ProtectedModeTests()
    {
        Directory.CreateDirectory(_directory);
        _environment = new() { ["ConnectionStrings__Sqlite"] = $"Data Source={Path.Combine(_directory, "pulse.db")}" };
    }

    [Fact]
    public async Task Without_keys_a_loopback_address_is_served_openly_with_a_warning()
    {
        await using var pulse = await PulseProcess.StartAsync(_environment);
        using var client = new HttpClient { BaseAddress = pulse.BaseAddress };

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/users/count")).StatusCode);
        await Eventually.HoldsAsync(() => Task.FromResult(pulse.Output().Contains("Pulse is open", StringComparison.Ordinal)), "the open warning");
        Assert.Contains("warn", pulse.Output(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_keys_another_address_stops_start_up_with_what_to_do()
    {
        await using var pulse = PulseProcess.Start(_environment, listenHost: "0.0.0.0");
        await pulse.WaitForExitAsync(Eventually.Patience);

        Assert.Equal(1, pulse.ExitCode);
        Assert.Contains("keys create", pulse.Output(), StringComparison.Ordinal);
        Assert.Contains("Auth:AllowAnonymous=true", pulse.Output(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Allow_anonymous_serves_another_address_openly_on_purpose()
    {
        await using var pulse = await PulseProcess.StartAsync(new Dictionary<string, string>(_environment) { ["Auth__AllowAnonymous"] = "true" }, listenHost: "0.0.0.0");
        using var client = new HttpClient { BaseAddress = pulse.BaseAddress };

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/users/count")).StatusCode);
        Assert.Contains("open on purpose", pulse.Output(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_made_on_the_command_line_closes_every_address_and_its_revocation_reaches_the_running_service()
    {
        var (created, secret, createdError) = await PulseProcess.RunCommandAsync(_environment, "keys", "create", "--name", "cli admin", "--scope", "admin");
        Assert.True(created == 0, createdError);
        secret = secret.Trim();
        Assert.StartsWith("pk_admin_", secret, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, createdError, StringComparison.Ordinal);

        await using var pulse = await PulseProcess.StartAsync(_environment, listenHost: "0.0.0.0");
        using var client = new HttpClient { BaseAddress = pulse.BaseAddress };
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/users/count")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, "/api/v1/users/count", secret)).StatusCode);

        var (listed, table, _) = await PulseProcess.RunCommandAsync(_environment, "keys", "list");
        Assert.Equal(0, listed);
        Assert.Contains("cli admin", table, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, table, StringComparison.Ordinal);
        var id = table.Split('\n').Single(line => line.Contains("cli admin", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];

        var (revoked, _, revokeError) = await PulseProcess.RunCommandAsync(_environment, "keys", "revoke", id);
        Assert.True(revoked == 0, revokeError);
        var at = DateTimeOffset.UtcNow;
        await Eventually.HoldsAsync(async () => (await GetAsync(client, "/api/v1/users/count", secret)).StatusCode == HttpStatusCode.Unauthorized,
            "the running service refusing the key revoked on the command line");
        var took = DateTimeOffset.UtcNow - at;
        Assert.True(took < TimeSpan.FromSeconds(5), $"refused {took.TotalSeconds:0.0} s after the revocation");

        var (unknown, _, unknownError) = await PulseProcess.RunCommandAsync(_environment, "keys", "revoke", "987654");
        Assert.Equal(1, unknown);
        Assert.Contains("No key has id 987654", unknownError, StringComparison.Ordinal);
        var (misused, _, usage) = await PulseProcess.RunCommandAsync(_environment, "keys", "create", "--name", "no scope", "--scope", "root");
        Assert.Equal(2, misused);
        Assert.Contains("Unknown scope 'root'", usage, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, pulse.Output(), StringComparison.Ordinal);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private static async Task<HttpResponseMessage> GetAsync(HttpClient client, string path, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return await client.SendAsync(request);
    }
}
