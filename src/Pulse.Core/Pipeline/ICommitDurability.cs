namespace Pulse.Core.Pipeline;

/// <summary>
/// A store that can return from a commit before the commit is durable, and then make every commit written so
/// far durable at once. The embedded store does this: one transaction is written while the log of the previous
/// ones is synced to disk, and one sync covers several transactions. Stores without it (PostgreSQL) make each
/// commit durable before it returns, and register nothing.
/// <para>
/// A write pipeline commits inside <see cref="DeferAsync{T}"/> and, before it answers anyone, outside its commit
/// slot, awaits <see cref="WhenDurableAsync"/>. Every other write (outside <see cref="DeferAsync{T}"/>) still
/// returns durable.
/// </para>
/// </summary>
public interface ICommitDurability
{
    /// <summary>Runs <paramref name="commit"/>; the store's commits inside it return once written, not yet durable.</summary>
    Task<T> DeferAsync<T>(Func<Task<T>> commit);

    /// <summary>
    /// Completes once every commit that returned before this call is durable. Throws <see cref="IOException"/>
    /// when they cannot be made durable (they must then not be acknowledged).
    /// </summary>
    Task WhenDurableAsync();
}
