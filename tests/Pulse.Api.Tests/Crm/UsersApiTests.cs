using System.Net;
using Pulse.Api.Tests.Infrastructure;

namespace Pulse.Api.Tests.Crm;

public abstract class UsersApiTests(PulseFixture fixture)
{
    private readonly HttpClient _client = fixture.Client;

    [Fact]
    public async Task Enrolling_a_user_answers_with_the_envelope_and_the_user()
    {
        var externalId = TestEnvironment.Unique("user");
        var (response, body) = await _client.PostAsync("/api/v1/users", new { externalId, userAttributes = "{\"email\":\"kim@example.com\",\"name\":\"김철수\"}" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(body["success"]!.GetValue<bool>());
        Assert.Equal("success", body["message"].Str());
        Assert.Equal(externalId, body["data"]!["externalId"].Str());
        Assert.Equal("{\"email\":\"kim@example.com\",\"name\":\"김철수\"}", body["data"]!["userAttributes"].Str());
        Assert.True(body["data"]!["id"].Long() > 0);
    }

    [Fact]
    public async Task Enrolling_a_taken_externalId_is_a_conflict()
    {
        var externalId = TestEnvironment.Unique("user");
        await _client.CreateUserAsync(externalId);

        var (response, body) = await _client.PostAsync("/api/v1/users", new { externalId, userAttributes = "{\"email\":\"x@y.z\"}" });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains(externalId, body["detail"].Str(), StringComparison.Ordinal);
        Assert.Equal(body["detail"].Str(), body["message"].Str());
    }

    [Theory]
    [InlineData("{\"name\":\"no email\"}", "email")]
    [InlineData("not json at all", "not valid JSON")]
    [InlineData("[1,2,3]", "JSON object")]
    [InlineData("{\"email\":42}", "email")]
    public async Task Attributes_must_be_a_json_object_with_an_email(string attributes, string expected)
    {
        var (response, body) = await _client.PostAsync("/api/v1/users", new { externalId = TestEnvironment.Unique("user"), userAttributes = attributes });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, body["errors"]!["userAttributes"]![0].Str(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Posting_with_an_id_updates_the_attributes()
    {
        var externalId = TestEnvironment.Unique("user");
        var id = await _client.CreateUserAsync(externalId);

        var (response, body) = await _client.PostAsync("/api/v1/users", new { id, externalId, userAttributes = "{\"email\":\"new@example.com\"}" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(id, body["data"]!["id"].Long());
        Assert.Equal("{\"email\":\"new@example.com\"}", body["data"]!["userAttributes"].Str());
    }

    [Fact]
    public async Task Updating_an_unknown_id_is_not_found()
    {
        var (response, body) = await _client.PostAsync("/api/v1/users", new { id = long.MaxValue - 7, userAttributes = "{\"email\":\"a@b.c\"}" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("id", body["message"].Str(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Users_are_listed_in_pages_with_totals_and_counted()
    {
        for (var i = 0; i < 3; i++)
        {
            await _client.CreateUserAsync(TestEnvironment.Unique("page"));
        }

        var (_, count) = await _client.GetJsonAsync("/api/v1/users/count");
        var total = count["data"]!["totalCount"].Long();
        Assert.True(total >= 3);

        var (response, body) = await _client.GetJsonAsync("/api/v1/users?page=0&size=2");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = body["data"]!["users"]!;
        Assert.Equal(2, page["content"]!.AsArray().Count);
        Assert.Equal(0, page["page"]!.GetValue<int>());
        Assert.Equal(2, page["size"]!.GetValue<int>());
        Assert.True(page["totalElements"].Long() >= 3);
        Assert.Equal((page["totalElements"].Long() + 1) / 2, page["totalPages"].Long());
        var first = page["content"]![0]!;
        Assert.EndsWith("Z", first["createdAt"].Str(), StringComparison.Ordinal);
        Assert.NotNull(first["updatedAt"]);
    }

    [Theory]
    [InlineData("page=-1&size=10")]
    [InlineData("page=0&size=0")]
    [InlineData("page=0&size=101")]
    [InlineData("page=abc")]
    public async Task Bad_paging_is_a_bad_request(string query)
    {
        var (response, body) = await _client.GetJsonAsync("/api/v1/users?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(string.IsNullOrEmpty(body["message"].Str()));
    }
}

public sealed class UsersApiTests_Embedded(EmbeddedFixture fixture) : UsersApiTests(fixture), IClassFixture<EmbeddedFixture>;

public sealed class UsersApiTests_Server(ServerFixture fixture) : UsersApiTests(fixture), IClassFixture<ServerFixture>;
