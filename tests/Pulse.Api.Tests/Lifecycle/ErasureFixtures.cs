using Pulse.Api.Tests.Access;
using Pulse.Api.Tests.Infrastructure;

namespace Pulse.Api.Tests.Lifecycle;

/// <summary>
/// Keys are required (a bootstrap admin key), erasures run in chunks of 7 rows and up to 20 rows inline, so a test
/// reaches many chunks and the background path with a few dozen rows.
/// </summary>
public interface IErasureFixture
{
    public const int ChunkSize = 7;
    public const int InlineLimit = 20;

    PulseFixture Fixture { get; }

    /// <summary>A client that sends the bootstrap admin key.</summary>
    HttpClient Admin { get; }

    static Dictionary<string, string?> Configure(Dictionary<string, string?> settings)
    {
        settings["Auth:BootstrapAdminKey"] = IAccessFixture.BootstrapKey;
        settings["Erasure:ChunkSize"] = ChunkSize.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Erasure:InlineLimit"] = InlineLimit.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return settings;
    }

    static HttpClient AdminOf(PulseFixture fixture) => fixture.Client.WithAdminKey();
}

public sealed class ErasureEmbeddedFixture : EmbeddedFixture, IErasureFixture
{
    public PulseFixture Fixture => this;

    public HttpClient Admin => IErasureFixture.AdminOf(this);

    protected override async Task<Dictionary<string, string?>> PrepareAsync() => IErasureFixture.Configure(await base.PrepareAsync());
}

public sealed class ErasureServerFixture : ServerFixture, IErasureFixture
{
    public PulseFixture Fixture => this;

    public HttpClient Admin => IErasureFixture.AdminOf(this);

    protected override async Task<Dictionary<string, string?>> PrepareAsync() => IErasureFixture.Configure(await base.PrepareAsync());
}
