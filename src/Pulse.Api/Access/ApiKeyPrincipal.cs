using System.Security.Claims;
using Pulse.Core.Access;

namespace Pulse.Api.Access;

/// <summary>
/// Who a request acts as: a key, or anyone while the service is open. One instance per key (cached by the
/// authentication handler), so an authenticated request allocates no claims.
/// </summary>
internal sealed class ApiKeyPrincipal : ClaimsPrincipal
{
    public static readonly ApiKeyPrincipal Open = new(null, ApiScopes.Ingest | ApiScopes.Read | ApiScopes.Admin);

    private ApiKeyPrincipal(ApiKey? key, ApiScopes scopes)
        : base(new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, key?.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "open"), new Claim(ClaimTypes.Name, key?.Name ?? "open")],
            ApiKeyAuthentication.SchemeName))
    {
        Key = key;
        Scopes = scopes;
    }

    /// <summary>The key, or null while the service is open.</summary>
    public ApiKey? Key { get; }

    public ApiScopes Scopes { get; }

    public static ApiKeyPrincipal For(ApiKey key) => new(key, key.Scopes);
}
