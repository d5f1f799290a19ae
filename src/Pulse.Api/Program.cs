using Pulse.Api;
using Pulse.Api.Crm;
using Pulse.Api.Operations;
using Pulse.Api.Posts;
using Pulse.Api.Statistics;
using Pulse.Api.Tracking;

var builder = WebApplication.CreateSlimBuilder(args);
builder.AddPulse();

var app = builder.Build();
app.UsePulse();
app.MapOperations();
app.MapCrm();
app.MapTracking();
app.MapStatistics();
app.MapPosts();

await app.RunAsync();

/// <summary>The entry point, public so integration tests can host it.</summary>
public partial class Program;
