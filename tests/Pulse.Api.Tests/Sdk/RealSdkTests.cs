using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using Pulse.Api.Sdk;
using Pulse.Api.Tests.Crm;
using Pulse.Api.Tests.Infrastructure;

namespace Pulse.Api.Tests.Sdk;

/// <summary>
/// The real SDKs from npm (tests/sdk-node: @segment/analytics-node, posthog-node, @rudderstack/rudder-sdk-node; installed
/// by scripts/test.sh with npm ci), each pointed at a Pulse listening on loopback with its host option: hundreds of
/// identify and track / capture messages with nested properties, every tenth backdated by days, flushed; then every
/// message is checked through Pulse's own search API. A second fixture loses the answers to the first requests after
/// storing them (503 with Retry-After, a test-only switch): the SDKs send again, and every message is still stored once.
/// </summary>
public abstract class RealSdkTests(RealSdkTests.IRealSdkFixture real)
{
    private const int Messages = 300;

    private readonly HttpClient _client = real.Fixture.Client;

    public interface IRealSdkFixture
    {
        PulseFixture Fixture { get; }

        LosingAdmission Admission { get; }
    }

    [Theory]
    [InlineData("segment")]
    [InlineData("posthog")]
    [InlineData("rudderstack")]
    public async Task Every_message_of_the_sdk_is_stored_once_with_its_user_properties_and_time(string sdk)
    {
        var run = TestEnvironment.Unique(sdk);
        var sent = await SendAsync(sdk, run, Messages);

        var events = await _client.FindAllAsync($"eventName={run}-event");
        var identifies = await _client.FindAllAsync(sdk == "posthog"
            ? $"eventName=%24identify&where={CrmClient.Encode($"$set.run&{run}&=&end")}"
            : $"eventName=identify&where={CrmClient.Encode($"run&{run}&=&end")}");
        var backdated = await _client.FindAllAsync($"eventName={run}-event&to={SdkClient.Iso(DateTimeOffset.UtcNow.AddHours(-12))}");

        AssertStoredOnce(sent, events);
        Assert.Equal(Messages, identifies.Count);
        Assert.Equal(sent.Count(s => s.Backdated), backdated.Count);
        Assert.All(backdated, e => Assert.Equal(0, int.Parse(SdkClient.Property(e, "seq"), CultureInfo.InvariantCulture) % 10));
    }

    [Theory]
    [InlineData("segment")]
    [InlineData("posthog")]
    [InlineData("rudderstack")]
    public async Task Answers_lost_after_the_commit_make_the_sdk_send_again_and_nothing_is_stored_twice(string sdk)
    {
        var run = TestEnvironment.Unique(sdk);
        real.Admission.LoseNext(2);

        var sent = await SendAsync(sdk, run, 100);

        Assert.Equal(0, real.Admission.Remaining);
        AssertStoredOnce(sent, await _client.FindAllAsync($"eventName={run}-event"));
    }

    private static void AssertStoredOnce(List<Sent> sent, List<JsonNode> events)
    {
        Assert.Equal(sent.Count, events.Count);
        var bySeq = events.ToDictionary(e => int.Parse(SdkClient.Property(e, "seq"), CultureInfo.InvariantCulture));
        foreach (var message in sent)
        {
            var stored = bySeq[message.Seq];
            Assert.Equal(message.User, stored["externalId"].Str());
            Assert.Equal((message.Seq % 5).ToString(CultureInfo.InvariantCulture), SdkClient.Property(stored, "cart.items"));
            Assert.Equal((message.Seq + 0.5).ToString(CultureInfo.InvariantCulture), SdkClient.Property(stored, "cart.price.amount"));
            Assert.Equal(message.Seq % 2 == 0 ? "true" : "false", SdkClient.Property(stored, "gift"));
            Assert.Equal($"sku-{message.Seq}", stored["message"]!["properties"]!["cart"]!["sku"].Str());
            // The SDK's own clock and the transit both shift the corrected time a little; backdating moves it by days.
            var time = DateTimeOffset.Parse(stored["timestamp"].Str(), CultureInfo.InvariantCulture);
            Assert.InRange((time - message.Timestamp).Duration(), TimeSpan.Zero, TimeSpan.FromSeconds(60));
        }
    }

    private async Task<List<Sent>> SendAsync(string sdk, string run, int count)
    {
        var directory = SdkDirectory();
        var start = new ProcessStartInfo("node", ["send.cjs", sdk, _client.BaseAddress!.ToString().TrimEnd('/'), "pk_ingest_test", run, count.ToString(CultureInfo.InvariantCulture)])
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var node = Process.Start(start)!;
        var output = node.StandardOutput.ReadToEndAsync();
        var errors = node.StandardError.ReadToEndAsync();
        try
        {
            await node.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(4));
        }
        catch (TimeoutException)
        {
            node.Kill(entireProcessTree: true);
            throw;
        }

        var text = await output;
        Assert.True(node.ExitCode == 0, $"node send.cjs {sdk} exited {node.ExitCode}: {text} {await errors}");
        var result = JsonNode.Parse(text)!;
        Assert.Empty(result["errors"]!.AsArray());
        return [.. result["sent"]!.AsArray().Select(s => new Sent(
            s!["seq"]!.GetValue<int>(), s["user"].Str(), DateTimeOffset.Parse(s["timestamp"].Str(), CultureInfo.InvariantCulture), s["backdated"]!.GetValue<bool>()))];
    }

    /// <summary>tests/sdk-node, with its node_modules (scripts/test.sh runs npm ci there).</summary>
    private static string SdkDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "tests", "sdk-node");
            if (File.Exists(Path.Combine(candidate, "send.cjs")))
            {
                Assert.True(Directory.Exists(Path.Combine(candidate, "node_modules")), $"{candidate}/node_modules is missing: run scripts/test.sh, or npm ci there.");
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"tests/sdk-node not found above {AppContext.BaseDirectory}.");
    }

    private sealed record Sent(int Seq, string User, DateTimeOffset Timestamp, bool Backdated);

    /// <summary>Replaces the 200 of the next N requests, after their messages were stored, with 503 and Retry-After: 1.</summary>
    public sealed class LosingAdmission : SdkAdmission
    {
        private int _remaining;

        public int Remaining => Math.Max(0, Volatile.Read(ref _remaining));

        public void LoseNext(int count) => Interlocked.Exchange(ref _remaining, count);

        public override ProblemHttpResult? AfterStored(HttpContext context) =>
            Interlocked.Decrement(ref _remaining) >= 0 ? Unavailable(context, retryAfterSeconds: 1) : null;
    }
}

public sealed class RealSdkEmbeddedFixture : EmbeddedFixture, RealSdkTests.IRealSdkFixture
{
    public PulseFixture Fixture => this;

    public RealSdkTests.LosingAdmission Admission { get; } = new();

    protected override bool ListensOnLoopback => true;

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<SdkAdmission>(Admission);
}

public sealed class RealSdkServerFixture : ServerFixture, RealSdkTests.IRealSdkFixture
{
    public PulseFixture Fixture => this;

    public RealSdkTests.LosingAdmission Admission { get; } = new();

    protected override bool ListensOnLoopback => true;

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<SdkAdmission>(Admission);
}

public sealed class RealSdkTests_Embedded(RealSdkEmbeddedFixture fixture) : RealSdkTests(fixture), IClassFixture<RealSdkEmbeddedFixture>;

public sealed class RealSdkTests_Server(RealSdkServerFixture fixture) : RealSdkTests(fixture), IClassFixture<RealSdkServerFixture>;
