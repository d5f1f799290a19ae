using Pulse.Redis.Resp;

namespace Pulse.Redis.Tests.Infrastructure;

/// <summary>
/// A standalone Redis shared by one test class: a private redis-server, or the server named by
/// PULSE_TEST_REDIS (host:port). Tests use unique keys (<see cref="TestKeys"/>) so sharing is safe.
/// </summary>
public sealed class RedisServerFixture : IAsyncLifetime
{
    private RedisServer? _server;

    public string Host { get; private set; } = "";

    public int Port { get; private set; }

    public string Endpoint => RedisEndpointText(Host, Port);

    public async Task InitializeAsync()
    {
        var external = Environment.GetEnvironmentVariable("PULSE_TEST_REDIS");
        if (!string.IsNullOrWhiteSpace(external))
        {
            var endpoint = RedisEndpoint.Parse(external.Split(',')[0]);
            (Host, Port) = (endpoint.Host, endpoint.Port);
            return;
        }
        _server = await RedisServer.StartAsync();
        (Host, Port) = (_server.Host, _server.Port);
    }

    /// <summary>Connects a new client; <paramref name="options"/> are appended to the configuration string (",syncTimeout=500").</summary>
    public Task<RedisConnection> ConnectAsync(string options = "") =>
        RedisConnection.ConnectAsync(RedisConfiguration.Parse(Endpoint + options));

    public Task<string> CliAsync(params string[] args) => RedisCli.RunAsync(Host, Port, args);

    public Task DisposeAsync()
    {
        _server?.Dispose();
        return Task.CompletedTask;
    }

    private static string RedisEndpointText(string host, int port) => new RedisEndpoint(host, port).ToString();
}
