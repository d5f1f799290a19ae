using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Pulse.Core.Access;

namespace Pulse.Api.Access;

/// <summary>
/// ASP.NET Core authentication for API keys, presented as <c>Authorization: Bearer KEY</c>, <c>X-Api-Key: KEY</c>, or
/// HTTP Basic with the key as user name and an empty password (what Segment's SDKs send), or, on the SDK endpoints
/// only, in the body (Segment's <c>writeKey</c>, PostHog's <c>api_key</c>). Checking a key is a hash
/// and a lookup in memory (<see cref="ApiKeyRegistry"/>). While the service is open (no key exists, protected mode
/// allows it) every request acts as <see cref="ApiKeyPrincipal.Open"/> and presented keys are ignored.
/// </summary>
internal sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyRegistry registry,
    ProtectedMode protectedMode,
    TimeProvider time)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    private const string FailureItem = "pulse.key-failure";

    private static readonly ConditionalWeakTable<ApiKeyEntry, AuthenticationTicket> Tickets = [];
    private static readonly AuthenticationTicket OpenTicket = new(ApiKeyPrincipal.Open, SchemeName);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (registry.IsOpen && protectedMode.AllowsOpen)
        {
            return AuthenticateResult.Success(OpenTicket);
        }

        // Segment's writeKey and PostHog's api_key may travel in the body instead of a header.
        var presented = Presented(Request.Headers)
            ?? (Context.GetEndpoint()?.Metadata.GetMetadata<Sdk.SdkBodyKeyMetadata>() is not null ? await Sdk.SdkBody.KeyAsync(Context) : null);
        if (presented is null)
        {
            return AuthenticateResult.NoResult();
        }

        var check = registry.Check(presented, time.GetUtcNow());
        if (check.Result != KeyCheckResult.Valid)
        {
            // Never echo the key: the reason is enough.
            Context.Items[FailureItem] = check.Result switch
            {
                KeyCheckResult.Revoked => "The API key was revoked.",
                KeyCheckResult.Expired => $"The API key expired at {check.Entry!.Key.ExpiresAt:O}.",
                _ => "The API key is not known.",
            };
            return AuthenticateResult.Fail("invalid API key");
        }

        var ticket = Tickets.GetValue(check.Entry!, static entry => new AuthenticationTicket(ApiKeyPrincipal.For(entry.Key), SchemeName));
        return AuthenticateResult.Success(ticket);
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var failure = Context.Items[FailureItem] as string;
        // RFC 6750: a Bearer challenge, with error="invalid_token" when a key was presented. No Basic challenge: it
        // would make browsers show their own login dialog to a page calling the API.
        Response.Headers.WWWAuthenticate = failure is null ? "Bearer realm=\"pulse\"" : "Bearer realm=\"pulse\", error=\"invalid_token\"";
        await AccessProblems.WriteAsync(Context, StatusCodes.Status401Unauthorized, "Unauthorized",
            failure ?? "This request needs an API key: send Authorization: Bearer KEY, X-Api-Key: KEY, or HTTP Basic with the key as user name.");
    }

    /// <summary>The key the request presents, if any (the first of Bearer, X-Api-Key, Basic user name).</summary>
    internal static string? Presented(IHeaderDictionary headers)
    {
        var authorization = headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization[7..].Trim() is { Length: > 0 } bearer ? bearer : null;
        }

        if (headers.TryGetValue("X-Api-Key", out var apiKey) && apiKey.ToString() is { Length: > 0 } key)
        {
            return key;
        }

        if (authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(authorization[6..].Trim()));
                var user = decoded.Split(':', 2)[0];
                return user.Length > 0 ? user : null;
            }
            catch (FormatException)
            {
                return null;
            }
        }

        return null;
    }
}
