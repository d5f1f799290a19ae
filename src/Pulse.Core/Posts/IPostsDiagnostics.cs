namespace Pulse.Core.Posts;

/// <summary>Where the posts domain reports failures it deliberately does not turn into failed requests.</summary>
public interface IPostsDiagnostics
{
    /// <summary>A side effect (tracked event, recent keyword) failed after the request's own work succeeded.</summary>
    void SideEffectFailed(string sideEffect, Exception exception);
}
