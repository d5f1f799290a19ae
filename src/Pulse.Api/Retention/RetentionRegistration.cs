using Microsoft.Extensions.Options;

namespace Pulse.Api.Retention;

internal static class RetentionRegistration
{
    /// <summary>Retention: its settings (validated at start-up), the pass and the background job. The store comes from the storage adapter.</summary>
    public static void AddPulseRetention(this IServiceCollection services)
    {
        services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RetentionOptions>, RetentionOptionsValidator>();
        services.AddSingleton<RetentionRunner>();
        services.AddHostedService<RetentionJob>();
    }
}
