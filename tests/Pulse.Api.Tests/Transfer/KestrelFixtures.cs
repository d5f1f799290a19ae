using Pulse.Api.Tests.Infrastructure;

namespace Pulse.Api.Tests.Transfer;

/// <summary>Pulse on Kestrel (a real socket), so a response's framing is what a client on the network gets: chunked when streamed.</summary>
public sealed class KestrelEmbeddedFixture : EmbeddedFixture
{
    protected override bool ListensOnLoopback => true;
}

/// <inheritdoc cref="KestrelEmbeddedFixture"/>
public sealed class KestrelServerFixture : ServerFixture
{
    protected override bool ListensOnLoopback => true;
}
