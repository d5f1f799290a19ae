namespace Pulse.Core;

/// <summary>One versioned schema change. Versions are unique across all features of one store.</summary>
public sealed record SchemaScript(int Version, string Sql);

/// <summary>A feature's schema scripts for one store; the host migrates every registered set at start-up.</summary>
public sealed record SchemaScripts(string Store, IReadOnlyList<SchemaScript> Scripts);
