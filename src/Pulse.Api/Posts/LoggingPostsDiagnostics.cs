using Pulse.Core.Posts;

namespace Pulse.Api.Posts;

internal sealed partial class LoggingPostsDiagnostics(ILogger<LoggingPostsDiagnostics> logger) : IPostsDiagnostics
{
    public void SideEffectFailed(string sideEffect, Exception exception) => LogSideEffectFailed(logger, exception, sideEffect);

    [LoggerMessage(Level = LogLevel.Error, Message = "The {SideEffect} of a successful request could not be recorded")]
    private static partial void LogSideEffectFailed(ILogger logger, Exception exception, string sideEffect);
}
