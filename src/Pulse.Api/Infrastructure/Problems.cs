using Microsoft.AspNetCore.Http.HttpResults;
using Pulse.Core.Validation;

namespace Pulse.Api.Infrastructure;

/// <summary>RFC 9457 results for the domain's failure kinds. <c>message</c> is added globally (see AddPulse).</summary>
internal static class Problems
{
    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "Not Found");

    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: "Conflict");

    public static ValidationProblem Invalid(ValidationErrors errors) =>
        TypedResults.ValidationProblem(errors.ToDictionary(), detail: errors.Summary(), title: "Validation failed");

    public static ValidationProblem Invalid(string field, string message)
    {
        var errors = new ValidationErrors();
        errors.Add(field, message);
        return Invalid(errors);
    }
}
