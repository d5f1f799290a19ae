using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Pulse.Api.Tests.Infrastructure;
using Pulse.Core.Access;

namespace Pulse.Api.Tests.Access;

/// <summary>
/// Keys and scopes, in both modes: every endpoint against no key, an ingest, read and admin key, a revoked and an
/// expired key. The fixture sets a bootstrap admin key, so keys are required from the start.
/// </summary>
public abstract class AccessTests(IAccessFixture access)
{
    private readonly PulseFixture _fixture = access.Fixture;
    private readonly HttpClient _client = access.Fixture.Client;

    private enum Needs
    {
        Nothing,
        Ingest,
        Read,
        Admin,
    }

    [Fact]
    public async Task Every_endpoint_answers_each_key_as_its_scope_allows()
    {
        var ingest = await CreateKeyAsync("matrix ingest", "ingest");
        var read = await CreateKeyAsync("matrix read", "read");
        var admin = await CreateKeyAsync("matrix admin", "admin");
        var revoked = await CreateKeyAsync("matrix revoked", "admin");
        await SendAsync(HttpMethod.Delete, $"/api/v1/keys/{revoked.Id}", IAccessFixture.BootstrapKey);
        var expired = await StoreExpiredKeyAsync();

        // Data the requests refer to, made with the admin key.
        var user = "access-" + Guid.NewGuid().ToString("N");
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, "/api/v1/users", admin.Secret, new { externalId = user, userAttributes = "{\"email\":\"a@example.com\"}" })).Status);
        var campaign = await SendAsync(HttpMethod.Post, "/api/v1/events/campaign", admin.Secret, new { name = "access-" + Guid.NewGuid().ToString("N"), properties = Array.Empty<object>() });
        var campaignId = campaign.Body["data"]!["id"].Long();
        var post = await SendAsync(HttpMethod.Post, "/api/posts", admin.Secret, new { userId = 7, content = "hello", hashtags = new[] { "access" } });
        var postId = post.Body["postId"].Long();

        (Needs Scope, HttpMethod Method, string Path, Func<object?> Body)[] endpoints =
        [
            (Needs.Ingest, HttpMethod.Post, "/api/v1/users", () => new { externalId = "access-" + Guid.NewGuid().ToString("N"), userAttributes = "{\"email\":\"b@example.com\"}" }),
            (Needs.Ingest, HttpMethod.Post, "/api/v1/events", () => new { name = "access", externalId = user, properties = new[] { new { key = "k", value = "v" } } }),
            (Needs.Ingest, HttpMethod.Post, "/api/v1/events/batch", () => new[] { new { name = "access", externalId = user, properties = Array.Empty<object>() } }),
            (Needs.Ingest, HttpMethod.Post, "/api/events", () => new { eventType = "CLICK", sessionId = "s", metadata = new { componentId = 1 } }),
            (Needs.Ingest, HttpMethod.Post, "/api/users/events", () => new { eventType = "CLICK", sessionId = "s", metadata = new { componentId = 1 } }),
            (Needs.Ingest, HttpMethod.Post, "/api/events/batch", () => new[] { new { eventType = "CLICK", sessionId = "s", metadata = new { componentId = 1 } } }),
            (Needs.Ingest, HttpMethod.Post, "/api/posts", () => new { userId = 7, content = "more", hashtags = new[] { "access" } }),
            (Needs.Ingest, HttpMethod.Post, "/api/posts/like", () => new { postId, userId = Random.Shared.NextInt64(1, long.MaxValue) }),
            (Needs.Read, HttpMethod.Get, "/api/v1/users", () => null),
            (Needs.Read, HttpMethod.Get, "/api/v1/users/count", () => null),
            (Needs.Read, HttpMethod.Get, "/api/v1/events/campaign", () => null),
            (Needs.Read, HttpMethod.Get, $"/api/v1/events/campaign/{campaignId}", () => null),
            (Needs.Read, HttpMethod.Get, "/api/v1/events?eventName=access", () => null),
            (Needs.Read, HttpMethod.Get, "/api/statistics?eventType=CLICK&componentId=1", () => null),
            (Needs.Read, HttpMethod.Get, "/api/statistics/top-keywords", () => null),
            (Needs.Read, HttpMethod.Get, $"/api/posts/{postId}", () => null),
            (Needs.Read, HttpMethod.Get, "/api/posts/popular", () => null),
            (Needs.Read, HttpMethod.Get, "/api/search?keyword=access&userId=7", () => null),
            (Needs.Read, HttpMethod.Get, "/api/search/recent/7", () => null),
            (Needs.Read, HttpMethod.Get, "/metrics", () => null),
            (Needs.Read, HttpMethod.Get, "/api/v1/events/export?eventName=access", () => null),
            (Needs.Read, HttpMethod.Get, "/api/events/export?type=CLICK&componentId=1", () => null),
            (Needs.Admin, HttpMethod.Post, "/api/v1/events/import", () => new { name = "access-import", externalId = user, eventTime = "2026-01-01T00:00:00.000Z", properties = new { k = "v" } }),
            (Needs.Admin, HttpMethod.Post, "/api/v1/events/campaign", () => new { name = "access-" + Guid.NewGuid().ToString("N"), properties = Array.Empty<object>() }),
            (Needs.Admin, HttpMethod.Get, "/api/v1/keys", () => null),
            (Needs.Admin, HttpMethod.Post, "/api/v1/keys", () => new { name = "made in the matrix", scopes = new[] { "read" } }),
            (Needs.Nothing, HttpMethod.Get, "/health/live", () => null),
            (Needs.Nothing, HttpMethod.Get, "/openapi/v1.json", () => null),
            (Needs.Nothing, HttpMethod.Get, "/docs/index.html", () => null),
        ];
        (string Name, string? Secret, Needs[] Allowed)[] callers =
        [
            ("no key", null, [Needs.Nothing]),
            ("ingest", ingest.Secret, [Needs.Nothing, Needs.Ingest]),
            ("read", read.Secret, [Needs.Nothing, Needs.Read]),
            ("admin", admin.Secret, [Needs.Nothing, Needs.Ingest, Needs.Read, Needs.Admin]),
            ("revoked", revoked.Secret, [Needs.Nothing]),
            ("expired", expired, [Needs.Nothing]),
        ];

        var wrong = new List<string>();
        foreach (var (scope, method, path, body) in endpoints)
        {
            foreach (var (name, secret, allowed) in callers)
            {
                var (status, answer, response) = await SendAsync(method, path, secret, body());
                var expected = allowed.Contains(scope) ? "2xx" : secret is null || name is "revoked" or "expired" ? "401" : "403";
                var actual = (int)status is >= 200 and < 300 ? "2xx" : ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (actual != expected)
                {
                    wrong.Add($"{method} {path} with {name}: expected {expected}, got {(int)status} {answer.Compact()}");
                }
                else if (expected == "401")
                {
                    Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
                    Assert.Equal(401, answer["status"]!.GetValue<int>());
                }
                else if (expected == "403")
                {
                    Assert.Equal(scope.ToString().ToLowerInvariant(), answer["scope"].Str());
                    Assert.Contains($"'{scope.ToString().ToLowerInvariant()}'", answer["detail"].Str(), StringComparison.Ordinal);
                }
            }
        }

        Assert.True(wrong.Count == 0, string.Join('\n', wrong));
    }

    [Fact]
    public async Task The_open_api_document_describes_the_three_ways_to_send_a_key_and_each_operations_scope()
    {
        var (status, document, _) = await SendAsync(HttpMethod.Get, "/openapi/v1.json", key: null);

        Assert.Equal(HttpStatusCode.OK, status);
        var schemes = document["components"]!["securitySchemes"]!.AsObject();
        Assert.Equal("bearer", schemes["bearer"]!["scheme"].Str());
        Assert.Equal("X-Api-Key", schemes["apiKey"]!["name"].Str());
        Assert.Equal("basic", schemes["basic"]!["scheme"].Str());
        var post = document["paths"]!["/api/v1/events"]!["post"]!;
        Assert.Equal(3, post["security"]!.AsArray().Count);
        Assert.Contains("`ingest`", post["description"].Str(), StringComparison.Ordinal);
        Assert.Contains("`admin`", document["paths"]!["/api/v1/keys"]!["get"]!["description"].Str(), StringComparison.Ordinal);
        Assert.Null(document["paths"]!["/health/live"]?["get"]?["security"]);
    }

    [Fact]
    public async Task A_key_is_accepted_as_bearer_x_api_key_or_basic_user_name()
    {
        var key = await CreateKeyAsync("presentations", "read");
        using var bearer = new HttpRequestMessage(HttpMethod.Get, "/api/v1/users/count");
        bearer.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key.Secret);
        using var header = new HttpRequestMessage(HttpMethod.Get, "/api/v1/users/count");
        header.Headers.Add("X-Api-Key", key.Secret);
        using var basic = new HttpRequestMessage(HttpMethod.Get, "/api/v1/users/count");
        basic.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(key.Secret + ":")));
        using var wrongBasic = new HttpRequestMessage(HttpMethod.Get, "/api/v1/users/count");
        wrongBasic.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("pk_read_nonsense:")));

        Assert.Equal(HttpStatusCode.OK, (await _client.SendAsync(bearer)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _client.SendAsync(header)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _client.SendAsync(basic)).StatusCode);
        var refused = await _client.SendAsync(wrongBasic);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("invalid_token", refused.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Creating_a_key_answers_its_secret_once_with_the_prefix_of_its_highest_scope()
    {
        var expiresAt = DateTimeOffset.UtcNow.AddDays(30);
        var (status, body, _) = await SendAsync(HttpMethod.Post, "/api/v1/keys", IAccessFixture.BootstrapKey, new { name = "two scopes", scopes = new[] { "ingest", "read" }, expiresAt });
        var listed = await SendAsync(HttpMethod.Get, "/api/v1/keys", IAccessFixture.BootstrapKey);

        Assert.Equal(HttpStatusCode.Created, status);
        var data = body["data"]!;
        Assert.StartsWith("pk_read_", data["key"].Str(), StringComparison.Ordinal);
        Assert.True(data["key"].Str().Length >= 40);
        Assert.Equal(new[] { "ingest", "read" }, data["scopes"]!.AsArray().Select(s => s.Str()));
        Assert.Equal(expiresAt.ToUnixTimeMilliseconds(), DateTimeOffset.Parse(data["expiresAt"].Str(), System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds());
        Assert.NotNull(data["createdAt"]);
        var mine = listed.Body["data"]!["keys"]!.AsArray().Single(k => k!["id"].Long() == data["id"].Long())!;
        Assert.Null(mine["key"]);
        Assert.DoesNotContain(data["key"].Str(), listed.Body.Compact(), StringComparison.Ordinal);
        Assert.Null((await CreateKeyAsync("no expiry", "admin")).Body["data"]!["expiresAt"]);
    }

    [Theory]
    [InlineData("{\"name\": \"x\", \"scopes\": []}", "scopes")]
    [InlineData("{\"name\": \"x\"}", "scopes")]
    [InlineData("{\"name\": \"x\", \"scopes\": [\"root\"]}", "scopes")]
    [InlineData("{\"name\": \"\", \"scopes\": [\"read\"]}", "name")]
    [InlineData("{\"name\": \"x\", \"scopes\": [\"read\"], \"expiresAt\": \"2001-01-01T00:00:00Z\"}", "expiresAt")]
    public async Task A_key_needs_a_name_known_scopes_and_a_future_expiry(string json, string field)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/keys") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", IAccessFixture.BootstrapKey);
        var response = await _client.SendAsync(request);
        var body = await Json.ReadAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull(body["errors"]![field]);
    }

    [Fact]
    public async Task Revoking_an_unknown_key_is_not_found_and_revoking_twice_is_harmless()
    {
        var key = await CreateKeyAsync("revoked twice", "read");

        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(HttpMethod.Delete, $"/api/v1/keys/{key.Id}", IAccessFixture.BootstrapKey)).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(HttpMethod.Delete, $"/api/v1/keys/{key.Id}", IAccessFixture.BootstrapKey)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Delete, "/api/v1/keys/987654321", IAccessFixture.BootstrapKey)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(HttpMethod.Get, "/api/v1/users/count", key.Secret)).Status);
    }

    [Fact]
    public async Task A_revoked_key_is_refused_by_a_second_instance_within_five_seconds()
    {
        await using var second = _fixture.StartAnotherInstance();
        using var secondClient = second.CreateClient();
        var key = await CreateKeyAsync("seen by two", "read");
        await Eventually.HoldsAsync(async () => (await SendAsync(HttpMethod.Get, "/api/v1/users/count", key.Secret, client: secondClient)).Status == HttpStatusCode.OK,
            "the second instance accepting the new key");

        var revoked = DateTimeOffset.UtcNow;
        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(HttpMethod.Delete, $"/api/v1/keys/{key.Id}", IAccessFixture.BootstrapKey)).Status);
        await Eventually.HoldsAsync(async () => (await SendAsync(HttpMethod.Get, "/api/v1/users/count", key.Secret, client: secondClient)).Status == HttpStatusCode.Unauthorized,
            "the second instance refusing the revoked key");

        var took = DateTimeOffset.UtcNow - revoked;
        Assert.True(took < TimeSpan.FromSeconds(5), $"the second instance refused the revoked key after {took.TotalSeconds:0.0} s");
    }

    [Fact]
    public async Task The_secret_is_never_stored_logged_or_answered_again()
    {
        var key = await CreateKeyAsync("kept secret", "ingest");
        await SendAsync(HttpMethod.Post, "/api/events", key.Secret, new { eventType = "CLICK", sessionId = "s", metadata = new { componentId = 1 } });
        await SendAsync(HttpMethod.Get, "/api/v1/users", key.Secret); // a 403, logged by ASP.NET Core's authorization
        using (var basic = new HttpRequestMessage(HttpMethod.Get, "/api/v1/users"))
        {
            basic.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(key.Secret + ":")));
            await _client.SendAsync(basic);
        }

        var listed = await SendAsync(HttpMethod.Get, "/api/v1/keys", IAccessFixture.BootstrapKey);
        var stored = await StoredKeysTextAsync();

        Assert.DoesNotContain(key.Secret, listed.Body.Compact(), StringComparison.Ordinal);
        Assert.Contains("kept secret", stored, StringComparison.Ordinal); // the dump does hold the key's row
        Assert.DoesNotContain(key.Secret, stored, StringComparison.Ordinal);
        Assert.DoesNotContain(key.Secret[8..], stored, StringComparison.Ordinal);
        Assert.NotEmpty(access.Logs.Lines);
        Assert.DoesNotContain(access.Logs.Lines, line => line.Contains(key.Secret[8..], StringComparison.Ordinal) || line.Contains(IAccessFixture.BootstrapKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_keys_last_use_is_recorded()
    {
        var key = await CreateKeyAsync("used", "read");
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, "/api/v1/users/count", key.Secret)).Status);

        await Eventually.HoldsAsync(async () =>
        {
            var listed = await SendAsync(HttpMethod.Get, "/api/v1/keys", IAccessFixture.BootstrapKey);
            return listed.Body["data"]!["keys"]!.AsArray().Single(k => k!["id"].Long() == key.Id)!["lastUsedAt"] is not null;
        }, "lastUsedAt set after a use");
    }

    [Fact]
    public async Task A_key_made_on_the_command_line_with_the_services_configuration_is_accepted_by_the_running_service()
    {
        // The same settings as the running host, as environment variables (Section__Key).
        var environment = _fixture.Settings
            .Where(setting => setting.Value is not null && !setting.Key.StartsWith("Logging", StringComparison.Ordinal))
            .ToDictionary(setting => setting.Key.Replace(":", "__", StringComparison.Ordinal), setting => setting.Value!);

        var (exit, output, error) = await PulseProcess.RunCommandAsync(environment, "keys", "create", "--name", "from the command line", "--scope", "ingest,read");

        Assert.True(exit == 0, error);
        var secret = output.Trim();
        Assert.StartsWith("pk_read_", secret, StringComparison.Ordinal);
        await Eventually.HoldsAsync(async () => (await SendAsync(HttpMethod.Get, "/api/v1/users/count", secret)).Status == HttpStatusCode.OK,
            "the running service accepting the key made on the command line");
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Get, "/api/v1/keys", secret)).Status);
    }

    private async Task<(long Id, string Secret, JsonNode Body)> CreateKeyAsync(string name, params string[] scopes)
    {
        var (status, body, _) = await SendAsync(HttpMethod.Post, "/api/v1/keys", IAccessFixture.BootstrapKey, new { name, scopes });
        Assert.True(status == HttpStatusCode.Created, $"creating a key: {(int)status} {body.Compact()}");
        return (body["data"]!["id"].Long(), body["data"]!["key"].Str(), body);
    }

    /// <summary>An expired key, written to the store directly: the API refuses to create one.</summary>
    private async Task<string> StoreExpiredKeyAsync()
    {
        var secret = ApiKeySecrets.Generate(ApiScopes.Admin);
        var now = DateTimeOffset.UtcNow;
        await _fixture.Services.GetRequiredService<IApiKeyStore>().CreateAsync("expired", ApiScopes.Admin, SecretHash.Of(secret), now.AddDays(-2), now.AddDays(-1), CancellationToken.None);
        await _fixture.Services.GetRequiredService<ApiKeyRegistry>().RefreshAsync(CancellationToken.None);
        return secret;
    }

    /// <summary>Every stored column of every key, as text (embedded: the database file and its WAL, byte for byte).</summary>
    private async Task<string> StoredKeysTextAsync()
    {
        if (_fixture is ServerFixture server)
        {
            await using var connection = new Npgsql.NpgsqlConnection(server.PostgresConnectionString);
            await connection.OpenAsync();
            await using var command = new Npgsql.NpgsqlCommand("SELECT string_agg(k::text || encode(k.secret_hash, 'escape'), E'\\n') FROM api_keys k", connection);
            return (string)(await command.ExecuteScalarAsync())!;
        }

        var dataSource = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(
            _fixture.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()["ConnectionStrings:Sqlite"]).DataSource;
        var text = new StringBuilder();
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(dataSource)!))
        {
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream, Encoding.Latin1);
            text.Append(await reader.ReadToEndAsync());
        }

        return text.ToString();
    }

    private async Task<(HttpStatusCode Status, JsonNode Body, HttpResponseMessage Response)> SendAsync(
        HttpMethod method, string path, string? key, object? body = null, HttpClient? client = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        var response = await (client ?? _client).SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        JsonNode parsed;
        try
        {
            parsed = text.Length > 0 && text.TrimStart()[0] is '{' or '[' ? JsonNode.Parse(text) ?? new JsonObject() : new JsonObject();
        }
        catch (System.Text.Json.JsonException)
        {
            parsed = new JsonObject();
        }

        return (response.StatusCode, parsed, response);
    }
}

public sealed class AccessTests_Embedded(AccessEmbeddedFixture fixture) : AccessTests(fixture), IClassFixture<AccessEmbeddedFixture>;

public sealed class AccessTests_Server(AccessServerFixture fixture) : AccessTests(fixture), IClassFixture<AccessServerFixture>;
