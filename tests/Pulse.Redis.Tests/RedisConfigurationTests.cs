using StackExchange.Redis;

namespace Pulse.Redis.Tests;

/// <summary>Pulse's defaults on top of StackExchange.Redis' configuration syntax.</summary>
public sealed class RedisConfigurationTests
{
    [Fact]
    public void Pulse_defaults_fill_what_the_string_leaves_unset()
    {
        var options = RedisConfiguration.Parse("127.0.0.1:6379");

        Assert.False(options.AbortOnConnectFail);
        Assert.Equal(1000, options.ConnectTimeout);
        Assert.Equal(1000, options.SyncTimeout);
        Assert.Equal(1000, options.AsyncTimeout);
        Assert.Same(BacklogPolicy.FailFast, options.BacklogPolicy);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.HeartbeatInterval);
        Assert.Equal(TimeSpan.FromMilliseconds(1250), RedisConfiguration.LongestWait(options));
    }

    [Fact]
    public void Settings_the_string_names_win_in_any_case()
    {
        var options = RedisConfiguration.Parse("127.0.0.1:6379, AbortConnect=true,connecttimeout=5000,syncTimeout=3000");

        Assert.True(options.AbortOnConnectFail);
        Assert.Equal(5000, options.ConnectTimeout);
        Assert.Equal(3000, options.SyncTimeout);
        Assert.Equal(3000, options.AsyncTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(5250), RedisConfiguration.LongestWait(options));
    }

    [Fact]
    public void An_explicit_async_timeout_is_kept_apart_from_the_sync_one()
    {
        var options = RedisConfiguration.Parse("127.0.0.1:6379,asyncTimeout=400");

        Assert.Equal(400, options.AsyncTimeout);
        Assert.Equal(1000, options.SyncTimeout);
    }

    [Fact]
    public void Everything_StackExchange_Redis_offers_passes_through()
    {
        var options = RedisConfiguration.Parse(
            "10.0.0.1:26379,10.0.0.2:26379,serviceName=mymaster,ssl=true,sslHost=redis.example,user=app,password=secret,defaultDatabase=2,name=pulse");

        Assert.Equal(2, options.EndPoints.Count);
        Assert.Equal("mymaster", options.ServiceName);
        Assert.True(options.Ssl);
        Assert.Equal("redis.example", options.SslHost);
        Assert.Equal("app", options.User);
        Assert.Equal("secret", options.Password);
        Assert.Equal(2, options.DefaultDatabase);
        Assert.Equal("pulse", options.ClientName);
    }

    [Fact]
    public void A_password_that_mentions_an_option_does_not_count_as_setting_it()
    {
        var options = RedisConfiguration.Parse("127.0.0.1:6379,password=abortConnect=true");

        Assert.False(options.AbortOnConnectFail);
    }
}
