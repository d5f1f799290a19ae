namespace Pulse.Core.Health;

/// <summary>A dependency that must answer before the instance reports ready (database, Redis).</summary>
public interface IReadinessProbe
{
    string Name { get; }

    /// <summary>Throws or returns false when the dependency is not usable.</summary>
    Task<bool> CheckAsync(CancellationToken cancellationToken);
}
