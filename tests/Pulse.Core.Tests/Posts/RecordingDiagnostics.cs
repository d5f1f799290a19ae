using Pulse.Core.Posts;

namespace Pulse.Core.Tests.Posts;

public sealed class RecordingDiagnostics : IPostsDiagnostics
{
    public List<string> Failures { get; } = [];

    public void SideEffectFailed(string sideEffect, Exception exception) => Failures.Add(sideEffect);
}
