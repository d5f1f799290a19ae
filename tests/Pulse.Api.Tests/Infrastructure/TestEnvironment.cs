namespace Pulse.Api.Tests.Infrastructure;

/// <summary>The servers that scripts/test.sh started, read from its environment variables.</summary>
public static class TestEnvironment
{
    /// <summary>
    /// 30 s connect and command timeouts instead of Pulse's 1 s (a configuration string's own settings win over Pulse's
    /// defaults). On a busy machine a Redis command now and then takes over a second; with Pulse's timeouts Pulse then
    /// rightly skips the cache or counts in the database, and a test of what the cache or the counters hold fails. Pulse's
    /// own timeouts are tested on Redis servers of their tests' own (Crm/RedisOutageTests, Posts/RedisOutageTests_Server,
    /// Posts/RedisStartupTests, Tracking/ClusterFailoverTests on <see cref="RedisClusterWithReplicas"/>, and
    /// tests/Pulse.Redis.Tests/OutageTests).
    /// </summary>
    public const string PatientRedisTimeouts = ",connectTimeout=30000,syncTimeout=30000,asyncTimeout=30000";

    public static string Postgres => Require("PULSE_TEST_POSTGRES");

    /// <summary>
    /// The standalone Redis, with <see cref="PatientRedisTimeouts"/>: what the suites in server mode check is what Pulse
    /// stores and answers, not how long it waits for Redis.
    /// </summary>
    public static string Redis => Require("PULSE_TEST_REDIS") + PatientRedisTimeouts;

    /// <summary>The 3-master Redis Cluster, with <see cref="PatientRedisTimeouts"/>.</summary>
    public static string RedisCluster => Require("PULSE_TEST_REDIS_CLUSTER") + PatientRedisTimeouts;

    /// <summary>The 3 + 3 cluster (a replica per master) for failover tests, which kill its masters.</summary>
    public static string RedisClusterWithReplicas => Require("PULSE_TEST_REDIS_CLUSTER_REPLICAS");

    /// <summary>The PID of each node of <see cref="RedisClusterWithReplicas"/>, by "host:port".</summary>
    public static IReadOnlyDictionary<string, int> RedisClusterWithReplicasPids =>
        Require("PULSE_TEST_REDIS_CLUSTER_REPLICAS_PIDS").Split(',').Select(node => node.Split('='))
            .ToDictionary(node => node[0], node => int.Parse(node[1], System.Globalization.CultureInfo.InvariantCulture));

    public static string RedisServerBinary => Environment.GetEnvironmentVariable("PULSE_TEST_REDIS_SERVER") is { Length: > 0 } path ? path : "redis-server";

    /// <summary>The prometheus binary scripts/test.sh installed (Debian package prometheus).</summary>
    public static string Prometheus => Environment.GetEnvironmentVariable("PULSE_TEST_PROMETHEUS") is { Length: > 0 } path
        ? path
        : throw new InvalidOperationException("PULSE_TEST_PROMETHEUS is not set: run the tests with scripts/test.sh, which installs Prometheus (apt package prometheus) and sets it.");

    /// <summary>The system Chromium scripts/test.sh installed (Debian package chromium), for the dashboard's browser tests.</summary>
    public static string Chromium => Environment.GetEnvironmentVariable("PULSE_TEST_CHROMIUM") is { Length: > 0 } path
        ? path
        : throw new InvalidOperationException("PULSE_TEST_CHROMIUM is not set: run the tests with scripts/test.sh, which installs Chromium (apt package chromium) and sets it.");

    /// <summary>The repository's root (holding Pulse.slnx), found upwards from the test binaries.</summary>
    public static string RepositoryRoot
    {
        get
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "Pulse.slnx")))
                {
                    return directory.FullName;
                }
            }

            throw new InvalidOperationException($"No Pulse.slnx above {AppContext.BaseDirectory}.");
        }
    }

    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    private static string Require(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{name} is not set: run the tests with scripts/test.sh, which starts PostgreSQL and Redis and sets it.");
}
