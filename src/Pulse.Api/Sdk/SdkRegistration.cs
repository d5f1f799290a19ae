using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Pulse.Core.Pipeline;
using Pulse.Core.Sdk;

namespace Pulse.Api.Sdk;

internal static class SdkRegistration
{
    /// <summary>SDK ingestion: its write queue ("sdk"), the service, the expired-id cleanup, and the admission switch.</summary>
    public static void AddPulseSdk(this IServiceCollection services)
    {
        services.Configure<JsonOptions>(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, SdkJsonContext.Default));
        services.AddOptions<SdkOptions>().BindConfiguration(SdkOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SdkOptions>, SdkOptionsValidator>();
        services.AddSingleton(sp => new SdkWriter(
            sp.GetRequiredService<ISdkEventStore>(), sp.GetRequiredService<GroupCommitOptions>(), sp.GetService<ICommitDurability>()));
        services.AddSingleton<IWritePipeline>(sp => sp.GetRequiredService<SdkWriter>());
        services.AddSingleton<SdkService>();
        services.AddSingleton<SdkAdmission>();
        services.AddHostedService<MessageIdCleanup>();
    }
}
