using Pulse.Core.Paging;

namespace Pulse.Core.Users;

/// <summary>Durable storage of users. Implementations are safe for concurrent use.</summary>
public interface IUserStore
{
    /// <returns>The new user, or <c>null</c> when the external id is taken.</returns>
    Task<User?> TryCreateAsync(string externalId, string userAttributes, DateTimeOffset now, CancellationToken cancellationToken);

    /// <returns>The updated user, or <c>null</c> when no user has that id (and that external id, when given).</returns>
    Task<User?> TryUpdateAttributesAsync(long id, string? externalId, string userAttributes, DateTimeOffset now, CancellationToken cancellationToken);

    Task<User?> FindByExternalIdAsync(string externalId, CancellationToken cancellationToken);

    Task<Page<User>> ListAsync(PageRequest request, CancellationToken cancellationToken);

    Task<long> CountAsync(CancellationToken cancellationToken);
}
