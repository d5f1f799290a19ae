using Pulse.Api.Access;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.AspNetCore.Http.Json;
using Pulse.Api.Dashboard;
using Pulse.Api.Infrastructure;
using Pulse.Api.Lifecycle;
using Pulse.Api.Operations;
using Pulse.Api.Posts;
using Pulse.Api.Retention;
using Pulse.Api.Sdk;
using Pulse.Api.Tracking;
using Pulse.Api.Transfer;

namespace Pulse.Api;

internal static class PulseHostExtensions
{
    public const string DefaultUrl = "http://localhost:8080";
    public const long DefaultMaxRequestBodyBytes = 1024 * 1024;

    /// <summary>
    /// The hosting layer creates an <see cref="System.Diagnostics.Activity"/> and a logging scope for every request
    /// as long as its own logger is enabled at any level, even when nothing reads either (11 % of what a CRM event
    /// request allocated). It logs only request start and finish (Information) and start-up failures, which also
    /// end the process with the exception. Turn it back on with
    /// <c>Logging__LogLevel__Microsoft.AspNetCore.Hosting.Diagnostics=Information</c>.
    /// </summary>
    private static readonly Dictionary<string, string?> ConfigurationDefaults = new()
    {
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        ["Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] = "None",
    };

    public static void AddPulse(this WebApplicationBuilder builder)
    {
        UseDefaultUrlUnlessConfigured(builder);
        // Defaults in code, because `dotnet run` starts in the caller's directory, where no appsettings.json is. They
        // are the first configuration source, so appsettings.json, environment variables and the command line
        // override them (a filter added with Logging.AddFilter would override those instead).
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = ConfigurationDefaults });
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = DefaultMaxRequestBodyBytes);
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(30));

        builder.Services.Configure<JsonOptions>(json =>
        {
            json.SerializerOptions.TypeInfoResolverChain.Insert(0, PulseJsonContext.Default);
            json.SerializerOptions.Converters.Add(new UtcTimestampConverter());
        });
        builder.Services.Configure<RouteHandlerOptions>(routes => routes.ThrowOnBadRequest = true);
        builder.Services.AddProblemDetails(problems => problems.CustomizeProblemDetails = context =>
        {
            // Kestrel rejects oversized bodies before any endpoint code runs; say why.
            if (context.ProblemDetails.Status == StatusCodes.Status413PayloadTooLarge)
            {
                context.ProblemDetails.Detail ??= "The request body exceeds the size limit of this endpoint (1 MiB; 16 MiB for batches).";
            }

            // Old clients read `message`; it always mirrors `detail`.
            context.ProblemDetails.Extensions["message"] = context.ProblemDetails.Detail ?? context.ProblemDetails.Title;
            context.ProblemDetails.Instance ??= context.HttpContext.Request.Path;
        });
        builder.Services.AddExceptionHandler<PulseExceptionHandler>();
        builder.Services.AddOpenApi(openApi => openApi.AddSecurity());

        var storage = builder.Configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        // The storage registrations below depend on these settings, so a bad combination must stop here with its
        // message, not later as a null argument deep inside a client's parser.
        StorageOptionsValidator.ThrowIfInvalid(storage);
        builder.Services.AddPulseStorage(storage, builder.Configuration["Redis:KeyPrefix"] ?? "pulse:");
        builder.Services.AddPulseDomain();
        builder.Services.AddPulseTracking();
        builder.Services.AddPulsePosts();
        builder.Services.AddPulseSdk();
        builder.Services.AddPulseRetention();
        builder.Services.AddPulseLifecycle();
        builder.Services.AddPulseTransfer();
        builder.AddPulseAccess();
        builder.AddPulseMetrics();
        builder.AddPulseDashboard();
    }

    public static void UsePulse(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UsePulseAccess();
    }

    private static void UseDefaultUrlUnlessConfigured(WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var configured = !string.IsNullOrEmpty(configuration["urls"])
            || !string.IsNullOrEmpty(configuration["http_ports"])
            || !string.IsNullOrEmpty(configuration["https_ports"])
            || configuration.GetSection("Kestrel:Endpoints").GetChildren().Any();
        if (!configured)
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }
    }
}
