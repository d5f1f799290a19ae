using Pulse.Redis.Resp;

namespace Pulse.Redis.Tests;

public sealed class RedisConfigurationTests
{
    [Fact]
    public void A_bare_host_gets_the_default_port_and_timeouts()
    {
        var configuration = RedisConfiguration.Parse("localhost");

        Assert.Equal([new RedisEndpoint("localhost", 6379)], configuration.Endpoints);
        Assert.Equal(TimeSpan.FromMilliseconds(2000), configuration.ConnectTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(2000), configuration.CommandTimeout);
        Assert.Null(configuration.Password);
        Assert.Null(configuration.User);
        Assert.Equal(0, configuration.DefaultDatabase);
    }

    [Fact]
    public void Several_endpoints_and_every_supported_option_are_read()
    {
        var configuration = RedisConfiguration.Parse(
            " redis-a:7000 , redis-b:7001,[::1]:7002, user=app,password=s3cr=t,connectTimeout=150,syncTimeout=300,abortConnect=false,ssl=false,defaultDatabase=4,name=worker");

        Assert.Equal(
            [new RedisEndpoint("redis-a", 7000), new RedisEndpoint("redis-b", 7001), new RedisEndpoint("::1", 7002)],
            configuration.Endpoints);
        Assert.Equal("app", configuration.User);
        Assert.Equal("s3cr=t", configuration.Password);
        Assert.Equal(TimeSpan.FromMilliseconds(150), configuration.ConnectTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(300), configuration.CommandTimeout);
        Assert.Equal(4, configuration.DefaultDatabase);
        Assert.Equal("worker", configuration.ClientName);
    }

    [Fact]
    public void Timeout_is_an_alias_of_syncTimeout_and_option_names_ignore_case()
    {
        var configuration = RedisConfiguration.Parse("h:1,TIMEOUT=750,AbortConnect=TRUE");

        Assert.Equal(TimeSpan.FromMilliseconds(750), configuration.CommandTimeout);
    }

    [Fact]
    public void Asking_for_tls_is_refused_with_an_explanation()
    {
        var error = Assert.Throws<ArgumentException>(() => RedisConfiguration.Parse("localhost,ssl=true"));

        Assert.Contains("TLS is not supported by Pulse's Redis client", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_option_is_named_in_the_error()
    {
        var error = Assert.Throws<ArgumentException>(() => RedisConfiguration.Parse("localhost,allowAdmin=true"));

        Assert.Contains("'allowAdmin'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("password=x")]
    [InlineData("localhost:0")]
    [InlineData("localhost:65536")]
    [InlineData("localhost:abc")]
    [InlineData(":6379")]
    [InlineData("[::1")]
    [InlineData("localhost,syncTimeout=0")]
    [InlineData("localhost,connectTimeout=-5")]
    [InlineData("localhost,syncTimeout=fast")]
    [InlineData("localhost,abortConnect=maybe")]
    [InlineData("localhost,defaultDatabase=-1")]
    public void Malformed_configurations_are_rejected(string text)
    {
        Assert.ThrowsAny<ArgumentException>(() => RedisConfiguration.Parse(text));
    }

    [Fact]
    public void ToString_masks_the_password()
    {
        var text = RedisConfiguration.Parse("h:1,password=hunter2,user=u").ToString();

        Assert.DoesNotContain("hunter2", text, StringComparison.Ordinal);
        Assert.Contains("password=*****", text, StringComparison.Ordinal);
        Assert.Contains("user=u", text, StringComparison.Ordinal);
    }
}
