using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Pulse.Core.Access;

namespace Pulse.Api.Access;

/// <summary>An endpoint's needed scope, as an authorization requirement (one policy per scope).</summary>
internal sealed class ScopeRequirement(ApiScopes scope) : IAuthorizationRequirement
{
    public ApiScopes Scope { get; } = scope;
}

internal sealed class ScopeAuthorizationHandler : AuthorizationHandler<ScopeRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopeRequirement requirement)
    {
        if (context.User is ApiKeyPrincipal principal && principal.Scopes.Covers(requirement.Scope))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}

/// <summary>A 403 names the scope the request needed (the default handler answers an empty 403).</summary>
internal sealed class ScopeForbiddenHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (!authorizeResult.Forbidden || context.User is not ApiKeyPrincipal principal)
        {
            return _default.HandleAsync(next, context, policy, authorizeResult);
        }

        var needed = authorizeResult.AuthorizationFailure?.FailedRequirements.OfType<ScopeRequirement>().FirstOrDefault()?.Scope ?? ApiScopes.Admin;
        return AccessProblems.WriteAsync(context, StatusCodes.Status403Forbidden, "Forbidden",
            $"This request needs the '{needed.Name()}' scope; the key '{principal.Key?.Name}' has: {string.Join(", ", principal.Scopes.Names())}.",
            new Dictionary<string, object?> { ["scope"] = needed.Name() });
    }
}

internal static class ScopeEndpoints
{
    public static string Policy(ApiScopes scope) => "scope:" + scope.Name();

    /// <summary>Requests to these endpoints need a key with <paramref name="scope"/> (or admin).</summary>
    public static TBuilder RequireScope<TBuilder>(this TBuilder builder, ApiScopes scope)
        where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(Policy(scope)).WithMetadata(new ScopeMetadata(scope));
}

/// <summary>The scope an endpoint needs: the rate limiter picks the bucket by it, the API document shows it.</summary>
internal sealed record ScopeMetadata(ApiScopes Scope);
