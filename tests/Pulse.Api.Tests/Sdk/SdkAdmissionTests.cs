using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using Pulse.Api.Sdk;
using Pulse.Api.Tests.Infrastructure;

namespace Pulse.Api.Tests.Sdk;

/// <summary>The test-only switch: an SDK request refused with 503 and Retry-After stores nothing; the retry is stored once.</summary>
public sealed class SdkAdmissionTests(SdkAdmissionTests.RefusingFixture fixture) : IClassFixture<SdkAdmissionTests.RefusingFixture>
{
    [Fact]
    public async Task A_refused_request_gets_503_with_retry_after_and_its_retry_is_stored_once()
    {
        var name = TestEnvironment.Unique("refused");
        var body = new { batch = new[] { new { type = "track", @event = name, userId = "r", messageId = TestEnvironment.Unique("m") } } };
        fixture.Admission.RefuseNext(1);

        var (refused, _) = await fixture.Client.SendSdkAsync("/v1/batch", body);
        var afterRefusal = await fixture.Client.FindAllAsync($"eventName={name}");
        var (retried, _) = await fixture.Client.SendSdkAsync("/v1/batch", body);
        var (again, _) = await fixture.Client.SendSdkAsync("/v1/batch", body);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
        Assert.Empty(afterRefusal);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Single(await fixture.Client.FindAllAsync($"eventName={name}"));
    }

    /// <summary>Refuses the next N SDK requests.</summary>
    public sealed class SwitchableAdmission : SdkAdmission
    {
        private int _refusals;

        public void RefuseNext(int count) => Interlocked.Exchange(ref _refusals, count);

        public override ProblemHttpResult? Refusal(HttpContext context) =>
            Interlocked.Decrement(ref _refusals) >= 0 ? Unavailable(context, retryAfterSeconds: 1) : null;
    }

    public sealed class RefusingFixture : EmbeddedFixture
    {
        public SwitchableAdmission Admission { get; } = new();

        protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<SdkAdmission>(Admission);
    }
}
