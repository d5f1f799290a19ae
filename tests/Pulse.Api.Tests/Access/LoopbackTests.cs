using Pulse.Api.Access;

namespace Pulse.Api.Tests.Access;

public sealed class LoopbackTests
{
    [Theory]
    [InlineData("http://localhost:8080", true)]
    [InlineData("http://127.0.0.1:8080", true)]
    [InlineData("http://127.8.9.10:8080", true)]
    [InlineData("http://[::1]:8080", true)]
    [InlineData("http://unix:/run/pulse.sock", true)]
    [InlineData("http://0.0.0.0:8080", false)]
    [InlineData("http://[::]:8080", false)]
    [InlineData("http://+:8080", false)]
    [InlineData("http://*:8080", false)]
    [InlineData("http://10.0.0.5:8080", false)]
    [InlineData("http://pulse.example.com:8080", false)]
    public void Only_loopback_addresses_and_unix_sockets_count_as_local(string address, bool loopback) =>
        Assert.Equal(loopback, ProtectedMode.IsLoopback(address));
}
