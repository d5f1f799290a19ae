using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Pulse.Core.Access;
using Pulse.Core.Caching;

namespace Pulse.Api.Access;

internal static class AccessRegistration
{
    /// <summary>
    /// Keys (the registry in memory, the service that changes them), ASP.NET Core's authentication and authorization
    /// with one policy per scope, its rate limiter (token buckets per key and scope), and CORS for the configured
    /// origins. Register after the storage, so the keys are loaded after the schema is migrated.
    /// </summary>
    public static void AddPulseAccess(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<AccessOptions>().BindConfiguration(AccessOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AccessOptions>, AccessOptionsValidator>();

        services.AddSingleton(sp => new ApiKeyRegistry(
            sp.GetRequiredService<IApiKeyStore>(), sp.GetRequiredService<ISharedCache>(), sp.GetRequiredService<IOptions<AccessOptions>>().Value.BootstrapAdminKey));
        services.AddSingleton<ApiKeyService>();
        services.AddSingleton<ProtectedMode>();
        services.AddHostedService(sp => sp.GetRequiredService<ProtectedMode>());
        services.AddHostedService<ApiKeyRefresher>();
        services.AddHostedService<ApiKeyUseRecorder>();

        services.AddAuthentication(ApiKeyAuthentication.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(ScopeEndpoints.Policy(ApiScopes.Ingest), policy => policy.AddRequirements(new ScopeRequirement(ApiScopes.Ingest)))
            .AddPolicy(ScopeEndpoints.Policy(ApiScopes.Read), policy => policy.AddRequirements(new ScopeRequirement(ApiScopes.Read)))
            .AddPolicy(ScopeEndpoints.Policy(ApiScopes.Admin), policy => policy.AddRequirements(new ScopeRequirement(ApiScopes.Admin)));
        services.AddSingleton<IAuthorizationHandler, ScopeAuthorizationHandler>();
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, ScopeForbiddenHandler>();

        services.AddPulseRateLimits();

        var origins = builder.Configuration.GetSection($"{AccessOptions.Section}:{nameof(AccessOptions.CorsOrigins)}").Get<string[]>() ?? [];
        services.AddCors(cors => cors.AddDefaultPolicy(policy => policy
            .WithOrigins(origins)
            .WithHeaders("Authorization", "X-Api-Key", "Content-Type")
            .WithMethods("GET", "POST")));
    }

    /// <summary>CORS first (a preflight carries no key), then who the request is, its rate limit, and its scope.</summary>
    public static void UsePulseAccess(this WebApplication app)
    {
        app.UseCors();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
    }
}
