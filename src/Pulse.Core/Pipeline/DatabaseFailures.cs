using System.Data.Common;

namespace Pulse.Core.Pipeline;

/// <summary>Which database failures mean "unavailable" rather than "this input was rejected".</summary>
public static class DatabaseFailures
{
    /// <summary>
    /// True for failures after which the database may or may not have committed, and that a retry later may
    /// cure: transient errors, connection exceptions (SQLSTATE class 08) and operator intervention such as a
    /// server shutting down (57P*), I/O and timeouts.
    /// </summary>
    public static bool IsUnavailable(Exception exception) => exception switch
    {
        DbException { IsTransient: true } => true,
        DbException { SqlState: { } state } when state.StartsWith("08", StringComparison.Ordinal) || state.StartsWith("57P", StringComparison.Ordinal) => true,
        DbException { InnerException: { } inner } => IsUnavailable(inner),
        TimeoutException or IOException or System.Net.Sockets.SocketException => true,
        _ => false,
    };
}
