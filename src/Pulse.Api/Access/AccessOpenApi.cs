using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Pulse.Core.Access;

namespace Pulse.Api.Access;

/// <summary>
/// The API document describes the three ways to present a key and, on each operation, the scope it needs, so the
/// page at /docs can send a key ("Authorize").
/// </summary>
internal static class AccessOpenApi
{
    private static readonly string[] Schemes = ["bearer", "apiKey", "basic"];

    public static void AddSecurity(this OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, context, cancellationToken) =>
        {
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "Authorization: Bearer KEY (pk_ingest_..., pk_read_..., pk_admin_...)",
            };
            document.Components.SecuritySchemes["apiKey"] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = "X-Api-Key",
                Description = "X-Api-Key: KEY",
            };
            document.Components.SecuritySchemes["basic"] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "basic",
                Description = "HTTP Basic with the key as user name and an empty password (what Segment's SDKs send)",
            };
            return Task.CompletedTask;
        });

        options.AddOperationTransformer((operation, context, cancellationToken) =>
        {
            var scope = context.Description.ActionDescriptor.EndpointMetadata.OfType<ScopeMetadata>().LastOrDefault()?.Scope;
            if (scope is null)
            {
                return Task.CompletedTask;
            }

            operation.Security ??= [];
            foreach (var scheme in Schemes)
            {
                operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(scheme, context.Document)] = [] });
            }

            operation.Description = ((operation.Description ?? "") + $"\n\nNeeds a key with the `{scope.Value.Name()}` scope" +
                (scope == ApiScopes.Admin ? "." : " (or `admin`).")).Trim();
            return Task.CompletedTask;
        });
    }
}
