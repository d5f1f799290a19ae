using System.Globalization;
using System.Text;
using System.Threading.Channels;
using Pulse.Redis.Resp;
using Pulse.Redis.Tests.Infrastructure;

namespace Pulse.Redis.Tests;

[Collection(RedisClusterCollection.Name)]
public sealed class ClusterTests(RedisClusterFixture cluster) : IAsyncLifetime
{
    private RedisConnection _connection = null!;

    public async Task InitializeAsync() => _connection = await cluster.ConnectAsync();

    public async Task DisposeAsync() => await _connection.DisposeAsync();

    [Fact]
    public async Task One_endpoint_is_enough_to_discover_the_whole_cluster()
    {
        await using var connection = await RedisConnection.ConnectAsync(RedisConfiguration.Parse(cluster.Nodes[^1].ToString()));
        var prefix = TestKeys.Unique("discover");

        for (var i = 0; i < 30; i++)
        {
            await connection.StringSetAsync($"{prefix}:{i}", "v");
        }

        Assert.True(connection.IsCluster);
        Assert.Equal(30, await CountKeysAsync(prefix));
    }

    [Fact]
    public async Task Keys_spread_over_every_master_are_written_and_read_back()
    {
        var prefix = TestKeys.Unique("spread");
        var keys = Enumerable.Range(0, 300).Select(i => i % 3 == 0 ? $"{prefix}:사용자:{i}" : $"{prefix}:🔥:{i}").ToList();

        await Task.WhenAll(keys.Select(key => _connection.StringSetAsync(key, "value of " + key)));

        foreach (var key in keys)
        {
            Assert.Equal("value of " + key, await _connection.StringGetAsync(key));
        }
        // Each master holds some of them, and none is missing: every key went to the node owning its slot.
        var perNode = await Task.WhenAll(cluster.Nodes.Select(node => CountKeysAsync(prefix, node)));
        Assert.All(perNode, count => Assert.True(count > 0, $"a master got no keys: {string.Join(", ", perNode)}"));
        Assert.Equal(keys.Count, perNode.Sum());
    }

    [Fact]
    public async Task Hash_slots_of_utf8_keys_agree_with_the_server()
    {
        foreach (var key in new[] { "사용자:42", "🔥:key", "{태그}:a", "plain" })
        {
            var serverSlot = (await _connection.ExecuteAsync(null, ["CLUSTER", "KEYSLOT", key])).AsLong();

            Assert.Equal(serverSlot, RedisHashSlot.Compute(key));
        }
    }

    [Fact]
    public async Task A_script_over_hash_tagged_keys_runs_on_their_node_even_after_a_script_flush()
    {
        var script = new LuaScript("redis.call('SET', KEYS[1], ARGV[1]) redis.call('SET', KEYS[2], ARGV[2]) return redis.call('MGET', KEYS[1], KEYS[2])");
        var tag = "{" + Guid.NewGuid().ToString("N") + "}";

        var first = await _connection.ScriptEvaluateAsync(script, [tag + ":a", tag + ":b"], ["1", "2"]);
        await Task.WhenAll(cluster.Nodes.Select(node => cluster.CliAsync(node, "SCRIPT", "FLUSH")));
        var second = await _connection.ScriptEvaluateAsync(script, [tag + ":a", tag + ":b"], ["3", "4"]);

        Assert.Equal(["1", "2"], first.AsArray()!.Select(item => item.AsString()));
        Assert.Equal(["3", "4"], second.AsArray()!.Select(item => item.AsString()));
    }

    [Fact]
    public async Task Each_node_gets_the_script_source_when_it_lacks_it()
    {
        var script = new LuaScript($"return KEYS[1] .. '{Guid.NewGuid():N}'");
        var keys = Enumerable.Range(0, 30).Select(i => TestKeys.Unique("script-node") + i).ToList();
        await Task.WhenAll(cluster.Nodes.Select(node => cluster.CliAsync(node, "SCRIPT", "FLUSH")));

        foreach (var key in keys)
        {
            Assert.StartsWith(key, (await _connection.ScriptEvaluateAsync(script, [key])).AsString(), StringComparison.Ordinal);
        }

        // Thirty keys land on all three masters, and every one of them now caches the script.
        foreach (var node in cluster.Nodes)
        {
            Assert.Equal("1", await cluster.CliAsync(node, "SCRIPT", "EXISTS", script.Sha1));
        }
    }

    [Fact]
    public async Task A_script_over_keys_in_different_slots_is_rejected_with_a_clear_message()
    {
        var script = new LuaScript("return 1");

        var error = await Assert.ThrowsAsync<ArgumentException>(() => _connection.ScriptEvaluateAsync(script, ["user:1", "user:2"]));

        Assert.Contains("same Redis Cluster slot", error.Message, StringComparison.Ordinal);
        Assert.Contains("hash tag", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keyless_commands_and_publish_go_to_any_node()
    {
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal("PONG", (await _connection.ExecuteAsync(null, ["PING"])).AsString());
        }
        Assert.Equal(0, await _connection.PublishAsync(TestKeys.Unique("nobody"), "x"));
    }

    [Fact]
    public async Task A_subscriber_hears_messages_published_on_every_node()
    {
        var channel = TestKeys.Unique("cluster-channel");
        var inbox = Channel.CreateUnbounded<string>();
        await using var subscription = await _connection.SubscribeAsync(channel, (_, message) => inbox.Writer.TryWrite(Encoding.UTF8.GetString(message.Span)));

        foreach (var node in cluster.Nodes)
        {
            await cluster.CliAsync(node, "PUBLISH", channel, "from " + node.Port.ToString(CultureInfo.InvariantCulture));
        }

        var received = new List<string>();
        for (var i = 0; i < cluster.Nodes.Count; i++)
        {
            received.Add(await inbox.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5)));
        }
        Assert.Equal(cluster.Nodes.Select(node => "from " + node.Port.ToString(CultureInfo.InvariantCulture)).Order(), received.Order());
    }

    private async Task<int> CountKeysAsync(string prefix) =>
        (await Task.WhenAll(cluster.Nodes.Select(node => CountKeysAsync(prefix, node)))).Sum();

    private async Task<int> CountKeysAsync(string prefix, RedisEndpoint node) =>
        (await cluster.CliAsync(node, "--scan", "--pattern", prefix + "*")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
}
