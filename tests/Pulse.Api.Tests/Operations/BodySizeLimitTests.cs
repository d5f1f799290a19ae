using System.Net;
using System.Text;
using Microsoft.AspNetCore.Mvc.Testing;
using Pulse.Api.Tests.Infrastructure;

namespace Pulse.Api.Tests.Operations;

/// <summary>Body limits are enforced by Kestrel, so these tests run the real server, not the test host.</summary>
public sealed class BodySizeLimitTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), TestEnvironment.Unique("pulse-kestrel"));
    private WebApplicationFactory<Program>? _factory;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        try
        {
            _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
                builder.UseSetting("ConnectionStrings:Sqlite", $"Data Source={Path.Combine(_directory, "pulse.db")}"));
            _factory.UseKestrel(0);
            _factory.StartServer();
            _client = _factory.CreateClient();
        }
        catch
        {
            // xunit does not call DisposeAsync when InitializeAsync fails: stop the server here.
            await DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        try
        {
            _client?.Dispose();
            if (_factory is not null)
            {
                await _factory.DisposeAsync();
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_body_over_one_megabyte_is_rejected_with_413()
    {
        var huge = "{\"name\":\"" + new string('x', 2 * 1024 * 1024) + "\",\"externalId\":\"u\"}";
        using var content = new StringContent(huge, Encoding.UTF8, "application/json");

        var response = await _client.PostAsync("/api/v1/events", content);
        var body = await Json.ReadAsync(response);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("size limit", body["message"].Str(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_batch_endpoint_accepts_larger_bodies()
    {
        var items = string.Join(',', Enumerable.Range(0, 1000).Select(i => $"{{\"name\":\"{new string('n', 150)}\",\"externalId\":\"nobody-{i}\",\"properties\":[{{\"key\":\"k\",\"value\":\"{new string('v', 400)}\"}}]}}"));
        using var content = new StringContent("[" + items + "]", Encoding.UTF8, "application/json");
        Assert.True(content.Headers.ContentLength > 512 * 1024);

        var response = await _client.PostAsync("/api/v1/events/batch", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
