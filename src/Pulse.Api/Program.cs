using Pulse.Api;
using Pulse.Api.Crm;
using Pulse.Api.Operations;

var builder = WebApplication.CreateSlimBuilder(args);
builder.AddPulse();

var app = builder.Build();
app.UsePulse();
app.MapOperations();
app.MapCrm();

await app.RunAsync();

/// <summary>The entry point, public so integration tests can host it.</summary>
public partial class Program;
