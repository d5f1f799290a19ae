using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Pulse.Api.Sdk;

/// <summary>
/// Whether an SDK request is taken. Always, in production; tests replace it (a test-only switch, injected into the
/// container, never a setting) to answer 503 with Retry-After and see the SDKs retry.
/// </summary>
public class SdkAdmission
{
    /// <summary>Null to take the request, or the answer that refuses it (503 with Retry-After).</summary>
    public virtual ProblemHttpResult? Refusal(HttpContext context) => null;

    /// <summary>
    /// Null to answer a request whose messages were stored, or the answer that replaces its 200 (tests: the answer
    /// lost after the commit, which makes an SDK send the same messages again).
    /// </summary>
    public virtual ProblemHttpResult? AfterStored(HttpContext context) => null;

    /// <summary>The 503 a refusal answers.</summary>
    protected static ProblemHttpResult Unavailable(HttpContext context, int retryAfterSeconds)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem("Pulse is not taking SDK messages right now; retry after the Retry-After interval.",
            statusCode: StatusCodes.Status503ServiceUnavailable, title: "Service unavailable");
    }
}
