using Pulse.Api.Access;
using Pulse.Core.Access;
using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Pulse.Api.Infrastructure;
using Pulse.Core;
using Pulse.Core.Events;
using Pulse.Core.Query;
using Pulse.Core.Validation;

namespace Pulse.Api.Crm;

internal static class EventsApi
{
    public static RouteGroupBuilder MapEvents(this RouteGroupBuilder api)
    {
        var events = api.MapGroup("/events").WithTags("Events");
        events.MapPost("/", SaveAsync)
            .WithSummary("Store an event and link it to its campaign when the property keys match")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireScope(ApiScopes.Ingest);
        events.MapPost("/batch", SaveBatchAsync)
            .WithSummary($"Store up to {Limits.MaxBatchSize} events; each item gets its own result")
            .WithMetadata(new RequestSizeLimitAttribute(CrmApi.BatchMaxRequestBodyBytes))
            .RequireScope(ApiScopes.Ingest);
        events.MapGet("/", SearchAsync)
            .WithSummary("Search events by name, properties (the `where` DSL) and time, paged by id")
            .RequireScope(ApiScopes.Read);
        return events;
    }

    private static async Task<Results<Created<ApiResponse<EventSaved>>, ProblemHttpResult>> SaveAsync(
        EventInput input, EventService events, CancellationToken cancellationToken)
    {
        var outcome = await events.SaveAsync(input, cancellationToken);
        return outcome.IsOk ? TypedResults.Created((string?)null, ApiResponse<EventSaved>.Ok(outcome.Value)) : Problems.For(outcome);
    }

    private static async Task<Results<Ok<ApiResponse<EventBatchPayload>>, ValidationProblem>> SaveBatchAsync(
        List<EventInput?> inputs, EventService events, CancellationToken cancellationToken)
    {
        if (inputs.Count is 0 or > Limits.MaxBatchSize)
        {
            return Problems.Invalid("events", $"A batch holds between 1 and {Limits.MaxBatchSize} events (got {inputs.Count}).");
        }

        var results = await events.SaveBatchAsync(inputs, cancellationToken);
        return TypedResults.Ok(ApiResponse<EventBatchPayload>.Ok(EventBatchPayload.From(results)));
    }

    private static async Task<Results<Ok<ApiResponse<EventsPayload>>, ValidationProblem>> SearchAsync(
        HttpRequest request, EventService events, string? eventName, string? externalId, string? from, string? to, long? after, int? limit, string? order,
        CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var where = ParseWhere(WhereParameter.Read(request), errors);
        var fromTime = ParseTime("from", from, errors);
        var toTime = ParseTime("to", to, errors);
        if (limit is < 1 or > EventQuery.MaxLimit)
        {
            errors.Add("limit", $"'limit' must be between 1 and {EventQuery.MaxLimit}.");
        }

        var descending = order?.ToLowerInvariant() switch
        {
            null or "asc" => false,
            "desc" => true,
            _ => Fail(errors, "order", "'order' must be 'asc' or 'desc'."),
        };
        Rules.MaxLength(errors, "eventName", eventName, Limits.MaxNameLength);
        Rules.MaxLength(errors, "externalId", externalId, Limits.MaxExternalIdLength);
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        var query = new EventQuery(
            string.IsNullOrEmpty(eventName) ? null : eventName, where, fromTime, toTime, after, limit ?? EventQuery.DefaultLimit, descending)
        {
            ExternalId = string.IsNullOrEmpty(externalId) ? null : externalId,
        };
        var found = await events.SearchAsync(query, cancellationToken);
        long? nextCursor = found.Count == query.Limit ? found[^1].Id : null;
        return TypedResults.Ok(ApiResponse<EventsPayload>.Ok(new EventsPayload([.. found.Select(EventView.From)], nextCursor)));
    }

    internal static WhereExpression? ParseWhere(string? text, ValidationErrors errors)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (text.Length > Limits.MaxWhereLength)
        {
            errors.Add("where", $"'where' must be at most {Limits.MaxWhereLength} characters.");
            return null;
        }

        if (WhereParser.TryParse(text, out var expression, out var error))
        {
            return expression;
        }

        errors.Add("where", error.Message);
        return null;
    }

    internal static DateTimeOffset? ParseTime(string field, string? value, ValidationErrors errors)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            return time;
        }

        errors.Add(field, $"'{field}' must be an ISO-8601 timestamp such as 2026-11-21T05:21:00Z.");
        return null;
    }

    private static bool Fail(ValidationErrors errors, string field, string message)
    {
        errors.Add(field, message);
        return false;
    }
}
