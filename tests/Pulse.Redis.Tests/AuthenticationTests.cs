using Pulse.Redis.Resp;
using Pulse.Redis.Tests.Infrastructure;

namespace Pulse.Redis.Tests;

/// <summary>A private server that requires a password, with an extra ACL user.</summary>
public sealed class AuthenticationTests : IAsyncLifetime
{
    private RedisServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await RedisServer.StartAsync(cluster: false, "--requirepass", "s3cret");
        await RedisCli.RunAsync(_server.Host, _server.Port, "-a", "s3cret", "--no-auth-warning", "ACL", "SETUSER", "app", "on", ">app-pass", "~*", "+@all");
    }

    public Task DisposeAsync()
    {
        _server.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task The_password_is_sent_on_connect()
    {
        await using var connection = await ConnectAsync(",password=s3cret");

        Assert.Equal("default", (await connection.ExecuteAsync(null, ["ACL", "WHOAMI"])).AsString());
    }

    [Fact]
    public async Task A_user_and_password_authenticate_as_that_user()
    {
        await using var connection = await ConnectAsync(",user=app,password=app-pass");

        Assert.Equal("app", (await connection.ExecuteAsync(null, ["ACL", "WHOAMI"])).AsString());
    }

    [Fact]
    public async Task A_wrong_password_is_a_connection_error_naming_AUTH()
    {
        await using var connection = await ConnectAsync(",password=wrong");

        var error = await Assert.ThrowsAsync<RedisConnectionException>(() => connection.ExecuteAsync(null, ["PING"]));

        Assert.Contains("AUTH", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_default_database_is_selected_on_connect()
    {
        await using var connection = await ConnectAsync(",password=s3cret,defaultDatabase=3");
        var key = TestKeys.Unique("db");

        await connection.StringSetAsync(key, "in-db-3");

        Assert.Equal("in-db-3", await RedisCli.RunAsync(_server.Host, _server.Port, "-a", "s3cret", "--no-auth-warning", "-n", "3", "GET", key));
        Assert.Equal("", await RedisCli.RunAsync(_server.Host, _server.Port, "-a", "s3cret", "--no-auth-warning", "-n", "0", "GET", key));
    }

    [Fact]
    public async Task Connections_are_named_for_operators()
    {
        await using var connection = await ConnectAsync(",password=s3cret");

        Assert.Equal("pulse", (await connection.ExecuteAsync(null, ["CLIENT", "GETNAME"])).AsString());
    }

    private Task<RedisConnection> ConnectAsync(string options) =>
        RedisConnection.ConnectAsync(RedisConfiguration.Parse(_server.Endpoint + options));
}
