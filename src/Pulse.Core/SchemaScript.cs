namespace Pulse.Core;

/// <summary>One versioned schema change. Versions are unique across all features of one store.</summary>
public sealed record SchemaScript(int Version, string Sql);
