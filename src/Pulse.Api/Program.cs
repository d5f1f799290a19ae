using Pulse.Api.Access;
using Pulse.Api;
using Pulse.Api.Crm;
using Pulse.Api.Dashboard;
using Pulse.Api.Lifecycle;
using Pulse.Api.Operations;
using Pulse.Api.Posts;
using Pulse.Api.Sdk;
using Pulse.Api.Statistics;
using Pulse.Api.Tracking;
using Pulse.Api.Transfer;

// Configuration files are read once, not watched: Pulse binds its options at start-up and never reloads them, and the
// watcher covers the whole content root, where the embedded database lives by default, so it woke on every database
// write (measured: 7,629 -> 9,004 req/s in embedded mode, docs/performance.md). A later
// --hostBuilder:reloadConfigOnChange=true on the command line turns watching back on.
if (args is [KeysCommand.Name, .. var command])
{
    // Key management on the command line: same configuration, no server (README, "Security").
    Environment.ExitCode = await KeysCommand.RunAsync(command);
    return;
}

var builder = WebApplication.CreateSlimBuilder(["--hostBuilder:reloadConfigOnChange=false", .. args]);
builder.AddPulse();

var app = builder.Build();
app.UsePulse();
app.MapOperations();
app.MapDashboard();
app.MapCrm();
app.MapTracking();
app.MapStatistics();
app.MapPosts();
app.MapSdk();
app.MapTransfer();
app.MapKeys();
app.MapLifecycle();

await app.RunAsync();

/// <summary>The entry point, public so integration tests can host it.</summary>
public partial class Program;
