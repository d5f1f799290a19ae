using Pulse.Core.Pipeline;
using Pulse.Core.Transfer;

namespace Pulse.Api.Transfer;

internal static class TransferRegistration
{
    /// <summary>Export (CRM and tracked events) and import, with the import's write queue ("import").</summary>
    public static void AddPulseTransfer(this IServiceCollection services)
    {
        services.AddSingleton<EventExport>();
        services.AddSingleton<TrackedEventExport>();
        services.AddSingleton(sp => new ImportWriter(
            sp.GetRequiredService<IEventImportStore>(), sp.GetRequiredService<GroupCommitOptions>(), sp.GetService<ICommitDurability>()));
        services.AddSingleton<IWritePipeline>(sp => sp.GetRequiredService<ImportWriter>());
        services.AddSingleton<EventImportService>();
    }
}
