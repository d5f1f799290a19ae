using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Pulse.Api.Access;
using Pulse.Api.Crm;
using Pulse.Api.Infrastructure;
using Pulse.Core;
using Pulse.Core.Access;
using Pulse.Core.Events;
using Pulse.Core.Tracking;
using Pulse.Core.Transfer;
using Pulse.Core.Validation;

namespace Pulse.Api.Transfer;

/// <summary>Taking events out (NDJSON or CSV, streamed) and bringing them back in (NDJSON, streamed). docs/lifecycle.md.</summary>
internal static class TransferApi
{
    public static IEndpointRouteBuilder MapTransfer(this IEndpointRouteBuilder app)
    {
        var crm = app.MapGroup("/api/v1/events").WithTags("Export and import");
        crm.MapGet("/export", ExportEventsAsync)
            .WithSummary("Stream every matching CRM event as NDJSON (default) or CSV: eventName, where (the DSL), from/to (event time), externalId")
            .ProducesValidationProblem()
            .RequireScope(ApiScopes.Read);
        crm.MapPost("/import", ImportEventsAsync)
            .WithSummary("Store the events of an NDJSON export (gzip accepted) with their times and users, each once however often it is imported")
            .WithMetadata(new DisableRequestSizeLimitAttribute())
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .RequireScope(ApiScopes.Admin);
        app.MapGroup("/api/events").WithTags("Export and import")
            .MapGet("/export", ExportTrackedEventsAsync)
            .WithSummary("Stream every matching tracked event as NDJSON (default) or CSV: type, componentId, from/to (occurredAt)")
            .ProducesValidationProblem()
            .RequireScope(ApiScopes.Read);
        return app;
    }

    private static async Task<Results<StreamedExport, ValidationProblem>> ExportEventsAsync(
        HttpRequest request, EventExport export, string? eventName, string? externalId, string? from, string? to, string? format, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var where = EventsApi.ParseWhere(WhereParameter.Read(request), errors);
        var fromTime = EventsApi.ParseTime("from", from, errors);
        var toTime = EventsApi.ParseTime("to", to, errors);
        var exportFormat = ParseFormat(format, errors);
        Rules.MaxLength(errors, "eventName", eventName, Limits.MaxNameLength);
        Rules.MaxLength(errors, "externalId", externalId, Limits.MaxExternalIdLength);
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        var filter = new EventQuery(string.IsNullOrEmpty(eventName) ? null : eventName, where, fromTime, toTime, null, EventExport.PageSize, false)
        {
            ExternalId = string.IsNullOrEmpty(externalId) ? null : externalId,
        };
        var upTo = await export.LastIdAsync(cancellationToken);
        if (exportFormat == ExportFormat.Ndjson)
        {
            return new StreamedExport(exportFormat, "events", async (pipe, ct) =>
            {
                using var lines = new EventLines(pipe);
                await foreach (var exported in export.ReadAsync(filter, upTo, ct))
                {
                    await lines.WriteNdjsonAsync(exported, ct);
                }

                await lines.CompleteAsync(ct);
            });
        }

        // CSV: the columns are the union of the matching events' keys, known before the first row (one query).
        var keys = await export.KeysAsync(filter, upTo, cancellationToken);
        if (keys.Count > EventExport.MaxCsvColumns)
        {
            return Problems.Invalid("format", $"The matching events have more than {EventExport.MaxCsvColumns} distinct property keys, too many CSV columns; export NDJSON, or narrow the export.");
        }

        return new StreamedExport(exportFormat, "events", async (pipe, ct) =>
        {
            var columns = new Dictionary<string, int>(keys.Count, StringComparer.Ordinal);
            for (var i = 0; i < keys.Count; i++)
            {
                columns[keys[i]] = i;
            }

            var values = new string?[keys.Count];
            using var lines = new EventLines(pipe);
            await lines.WriteCsvHeaderAsync(keys, ct);
            await foreach (var exported in export.ReadAsync(filter, upTo, ct))
            {
                await lines.WriteCsvAsync(exported, columns, values, ct);
            }

            await lines.CompleteAsync(ct);
        });
    }

    private static Results<StreamedExport, ValidationProblem> ExportTrackedEventsAsync(
        TrackedEventExport export, string? type, long? componentId, string? from, string? to, string? format)
    {
        var errors = new ValidationErrors();
        TrackedEventType? eventType = null;
        if (!string.IsNullOrEmpty(type))
        {
            if (TrackedEventTypes.TryParse(type, out var parsed))
            {
                eventType = parsed;
            }
            else
            {
                errors.Add("type", $"'type' must be one of {TrackedEventTypes.Allowed}.");
            }
        }

        var fromTime = EventsApi.ParseTime("from", from, errors);
        var toTime = EventsApi.ParseTime("to", to, errors);
        var exportFormat = ParseFormat(format, errors);
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        var filter = new TrackedExportQuery(eventType, componentId, fromTime, toTime);
        return new StreamedExport(exportFormat, "tracked-events", async (pipe, ct) =>
        {
            using var lines = new TrackedEventLines(pipe);
            if (exportFormat == ExportFormat.Csv)
            {
                await lines.WriteCsvHeaderAsync(ct);
            }

            await foreach (var exported in export.ReadAsync(filter, ct))
            {
                await (exportFormat == ExportFormat.Csv ? lines.WriteCsvAsync(exported, ct) : lines.WriteNdjsonAsync(exported, ct));
            }
        });
    }

    /// <summary>
    /// 200 with the counts once the whole body is read and every stored batch committed. A body that stops being valid
    /// gzip is a 400 whose counts say what was stored before: importing the file again is safe.
    /// </summary>
    private static async Task<Results<Ok<ApiResponse<ImportSummary>>, ProblemHttpResult>> ImportEventsAsync(
        HttpRequest request, EventImportService imports, CancellationToken cancellationToken)
    {
        var import = imports.Start();
        try
        {
            await ImportBody.ReadAsync(request, import, cancellationToken);
        }
        catch (InvalidDataException)
        {
            var summary = import.Summary;
            return TypedResults.Problem(
                "The body is not valid gzip (Content-Encoding: gzip says it is). Lines before the damage may have been stored; importing the file again stores nothing twice.",
                statusCode: StatusCodes.Status400BadRequest,
                title: "Bad gzip",
                extensions: new Dictionary<string, object?> { ["stored"] = summary.Stored, ["duplicates"] = summary.Duplicates, ["rejected"] = summary.Rejected });
        }

        return TypedResults.Ok(ApiResponse<ImportSummary>.Ok(import.Summary));
    }

    private static ExportFormat ParseFormat(string? format, ValidationErrors errors)
    {
        if (ExportFormats.TryParse(format, out var parsed))
        {
            return parsed;
        }

        errors.Add("format", "'format' must be 'ndjson' or 'csv'.");
        return ExportFormat.Ndjson;
    }
}
