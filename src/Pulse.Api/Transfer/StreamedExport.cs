using System.IO.Pipelines;

namespace Pulse.Api.Transfer;

/// <summary>
/// An export's response: the headers, then the body as <paramref name="write"/> produces it, chunked (no length is
/// known). Everything that can fail with a 4xx (parameters, the DSL, the CSV's columns) is checked before this result
/// is returned. Once the body has started, a failure cannot become a status code any more: the connection is aborted
/// instead, so the chunked body never gets its terminating chunk and the client sees a broken transfer (curl: exit code
/// 18, "transfer closed with outstanding read data remaining"; .NET's HttpClient: an HttpIOException), never a file
/// that merely looks complete. A complete NDJSON export ends with a line feed, a CSV export with CRLF.
/// </summary>
internal sealed class StreamedExport(ExportFormat format, string fileName, Func<PipeWriter, CancellationToken, Task> write) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.ContentType = format.ContentType();
        response.Headers.ContentDisposition = format.ContentDisposition(fileName, DateTimeOffset.UtcNow);
        response.Headers.CacheControl = "no-store";
        response.Headers["X-Content-Type-Options"] = "nosniff";
        var aborted = httpContext.RequestAborted;
        try
        {
            await response.StartAsync(aborted);
            await write(response.BodyWriter, aborted);
            await response.BodyWriter.FlushAsync(aborted);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The client went away: nothing to tell it.
        }
        catch (Exception exception)
        {
            var logger = httpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger<StreamedExport>();
            logger.LogError(exception, "An export failed after its response had started; the connection is aborted so the client sees an incomplete transfer.");
            httpContext.Abort();
        }
    }
}
