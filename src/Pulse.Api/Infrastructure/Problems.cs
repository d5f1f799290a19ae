using Microsoft.AspNetCore.Http.HttpResults;
using Pulse.Core;
using Pulse.Core.Validation;

namespace Pulse.Api.Infrastructure;

/// <summary>RFC 9457 results for the domain's failure kinds. <c>message</c> is added globally (see AddPulse).</summary>
internal static class Problems
{
    /// <summary>
    /// The one place a failed domain outcome becomes problem details: Invalid is a 400 with every broken rule by
    /// field, NotFound a 404, Conflict a 409.
    /// </summary>
    public static ProblemHttpResult For<T>(Outcome<T> failed) => failed.Kind switch
    {
        OutcomeKind.Invalid => TypedResults.Problem(new HttpValidationProblemDetails(failed.Errors!.ToDictionary())
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "Validation failed",
            Detail = failed.Message,
        }),
        OutcomeKind.NotFound => NotFound(failed.Message!),
        OutcomeKind.Conflict => Conflict(failed.Message!),
        OutcomeKind.Suppressed => Suppressed(failed.Message!),
        _ => throw new ArgumentException("A successful outcome is not a problem.", nameof(failed)),
    };

    /// <summary>The HTTP status of a batch item's outcome (a saved item is 201 Created).</summary>
    public static int Status(OutcomeKind kind) => kind switch
    {
        OutcomeKind.Ok => StatusCodes.Status201Created,
        OutcomeKind.Invalid => StatusCodes.Status400BadRequest,
        OutcomeKind.NotFound => StatusCodes.Status404NotFound,
        OutcomeKind.Conflict => StatusCodes.Status409Conflict,
        OutcomeKind.Suppressed => StatusCodes.Status422UnprocessableEntity,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "Not Found");

    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: "Conflict");

    /// <summary>
    /// 422: the user was erased with suppression (docs/lifecycle.md). Final for every SDK: Segment's, PostHog's and
    /// RudderStack's node SDKs retry only 408, 410, 429, 460 and 5xx, and drop a batch answered with another 4xx.
    /// </summary>
    public static ProblemHttpResult Suppressed(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status422UnprocessableEntity, title: "User suppressed");


    public static ValidationProblem Invalid(ValidationErrors errors) =>
        TypedResults.ValidationProblem(errors.ToDictionary(), detail: errors.Summary(), title: "Validation failed");

    public static ValidationProblem Invalid(string field, string message)
    {
        var errors = new ValidationErrors();
        errors.Add(field, message);
        return Invalid(errors);
    }
}
