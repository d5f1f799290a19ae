using System.Net;
using System.Text.Json.Nodes;
using Pulse.Api.Tests.Crm;
using Pulse.Api.Tests.Infrastructure;
using Pulse.Api.Tests.Sdk;

namespace Pulse.Api.Tests.Lifecycle;

/// <summary>
/// SIGKILL in the middle of a background erasure (a real process, embedded mode): the next start resumes it from its
/// durable record, and the counts, kept in each chunk's transaction, add up to exactly what was there.
/// </summary>
public sealed class ErasureCrashTests_Embedded
{
    private const int Events = 5000;

    [Fact]
    public async Task An_erasure_killed_half_way_is_completed_by_the_next_start_with_exact_counts()
    {
        var directory = Path.Combine(Path.GetTempPath(), TestEnvironment.Unique("pulse-erasure-crash"));
        Directory.CreateDirectory(directory);
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Sqlite"] = $"Data Source={Path.Combine(directory, "pulse.db")}",
            ["Logging__LogLevel__Default"] = "Warning",
            // One row per transaction: thousands of commits, so the kill lands while the erasure runs.
            ["Erasure__ChunkSize"] = "1",
            ["Erasure__InlineLimit"] = "0",
        };
        var externalId = TestEnvironment.Unique("crash-user");
        var name = TestEnvironment.Unique("crash-erasure");
        try
        {
            long erasureId;
            await using (var pulse = await PulseProcess.StartAsync(environment))
            {
                using var client = new HttpClient { BaseAddress = pulse.BaseAddress };
                await client.CreateUserAsync(externalId);
                for (var stored = 0; stored < Events; stored += 1000)
                {
                    var (batch, _) = await client.PostAsync("/api/v1/events/batch",
                        Enumerable.Range(0, 1000).Select(_ => new { name, externalId, properties = new[] { new { key = "k", value = "v" } } }).ToArray());
                    Assert.Equal(HttpStatusCode.OK, batch.StatusCode);
                }

                var (response, body) = await client.SendAsync(HttpMethod.Delete, $"/api/v1/users/{externalId}");
                Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
                erasureId = body["data"]!["id"].Long();

                JsonNode? midway = null;
                await Eventually.HoldsAsync(async () =>
                {
                    midway = (await client.GetJsonAsync($"/api/v1/erasures/{erasureId}")).Body["data"];
                    return midway!.Removed("events") > 0;
                }, "the erasure removing its first events");
                Assert.Equal("running", midway!["status"].Str());
                pulse.Kill();
                await pulse.WaitForExitAsync(Eventually.Patience);
            }

            await using var restarted = await PulseProcess.StartAsync(environment);
            using var again = new HttpClient { BaseAddress = restarted.BaseAddress };
            var done = await again.WaitForErasureAsync(erasureId);
            Assert.Equal(Events, done.Removed("events"));
            Assert.Equal(Events, done.Removed("eventProperties"));
            Assert.Equal(1, done.Removed("users"));
            Assert.Empty(await again.FindAllAsync($"eventName={name}"));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }
}
