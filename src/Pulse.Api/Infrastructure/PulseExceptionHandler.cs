using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Pulse.Core.Pipeline;

namespace Pulse.Api.Infrastructure;

/// <summary>
/// The one place where exceptions become RFC 9457 bodies. Bad input (malformed JSON, wrong types,
/// oversized bodies) is the client's 4xx; an unavailable database is a 503 with Retry-After; anything else
/// is a 500 whose body never carries a stack trace, SQL or driver name.
/// </summary>
internal sealed class PulseExceptionHandler(IProblemDetailsService problems, ILogger<PulseExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nobody is left to read a body.
            httpContext.Response.StatusCode = 499;
            return true;
        }

        var (status, title, detail) = Classify(exception);
        if (status >= 500)
        {
            logger.LogError(exception, "Request {Method} {Path} failed with {Status}", httpContext.Request.Method, httpContext.Request.Path, status);
        }

        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            httpContext.Response.Headers.RetryAfter = "2";
        }

        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }

    private static (int Status, string Title, string Detail) Classify(Exception exception) => exception switch
    {
        BadHttpRequestException { InnerException: JsonException json } => (400, "Malformed request body", DescribeJson(json)),
        JsonException json => (400, "Malformed request body", DescribeJson(json)),
        BadHttpRequestException { StatusCode: 413 } => (413, "Request body too large", "The request body exceeds the size limit of this endpoint."),
        BadHttpRequestException bad => (bad.StatusCode, "Bad request", bad.Message),
        Pulse.Core.Pipeline.WriteQueueFullException => (503, "Service unavailable", "Pulse is writing as fast as the database allows and its queue is full; retry shortly."),
        // SQLite keeps events -> users: a user erased between an event's lookup and its commit (docs/lifecycle.md). A retry
        // is answered anew (404, 422 if suppressed, or a new user for SDK messages), so it is a 503, not a final 4xx that
        // would make an SDK drop the other messages of its batch.
        Microsoft.Data.Sqlite.SqliteException { SqliteExtendedErrorCode: 787 } => (503, "Service unavailable", "A user of this request was erased while it was being stored; nothing was stored. Retry shortly."),
        _ when DatabaseFailures.IsUnavailable(exception) => (503, "Service unavailable", "The database is temporarily unavailable; retry later."),
        _ => (500, "Internal server error", "An unexpected error occurred. It has been logged."),
    };

    private static string DescribeJson(JsonException json)
    {
        var where = string.IsNullOrEmpty(json.Path) ? "the request body" : $"'{json.Path}'";
        var position = json.LineNumber is { } line
            ? $" (line {line + 1}, position {json.BytePositionInLine + 1})"
            : string.Empty;
        return $"Invalid JSON at {where}{position}: the value is malformed or has the wrong type for this field.";
    }
}
