using System.Text.Json;
using Pulse.Core.Caching;
using Pulse.Core.Lifecycle;
using Pulse.Core.Paging;
using Pulse.Core.Validation;

namespace Pulse.Core.Users;

public sealed class UserService(IUserStore store, LookupCache<User> cache, Suppressions suppressions, TimeProvider time)
{
    // Every event looks its user up: one delegate for all of them, not one per call.
    private readonly Func<string, CancellationToken, Task<User?>> _loadByExternalId = store.FindByExternalIdAsync;

    public async Task<Outcome<User>> EnrollOrUpdateAsync(UserInput input, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (input.Id is null)
        {
            Rules.RequiredText(errors, "externalId", input.ExternalId, Limits.MaxExternalIdLength);
        }
        else
        {
            if (input.Id <= 0)
            {
                errors.Add("id", "'id' must be a positive number.");
            }

            Rules.MaxLength(errors, "externalId", input.ExternalId, Limits.MaxExternalIdLength);
        }

        ValidateAttributes(errors, input.UserAttributes);
        if (!errors.IsEmpty)
        {
            return Outcome<User>.Invalid(errors);
        }

        if (suppressions.IsSuppressed(input.ExternalId))
        {
            return Outcome<User>.Suppressed(SuppressionMessages.ForExternalId(input.ExternalId!));
        }

        var now = time.GetUtcNow();
        if (input.Id is { } id)
        {
            var updated = await store.TryUpdateAttributesAsync(id, input.ExternalId, input.UserAttributes!, now, cancellationToken);
            if (updated is null)
            {
                return Outcome<User>.NotFound(input.ExternalId is null
                    ? $"No user has id {id}."
                    : $"No user has id {id} and externalId '{input.ExternalId}' (the externalId of a user cannot change).");
            }

            await cache.InvalidateAsync(updated.ExternalId, cancellationToken);
            return Outcome<User>.Ok(updated);
        }

        var created = await store.TryCreateAsync(input.ExternalId!, input.UserAttributes!, now, cancellationToken);
        if (created is null)
        {
            return Outcome<User>.Conflict($"A user with externalId '{input.ExternalId}' already exists.");
        }

        await cache.StoreAsync(created.ExternalId, created, cancellationToken);
        return Outcome<User>.Ok(created);
    }

    public ValueTask<User?> FindByExternalIdAsync(string externalId, CancellationToken cancellationToken) =>
        cache.GetOrLoadAsync(externalId, _loadByExternalId, cancellationToken);

    /// <summary>
    /// The user with <paramref name="externalId"/>, created with empty attributes on first sight (SDK traffic never
    /// meets "unknown user"). Two instances creating the same user at once: one insert wins, the other reads it.
    /// </summary>
    public async ValueTask<User> FindOrCreateAsync(string externalId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await FindByExternalIdAsync(externalId, cancellationToken) is { } found)
        {
            return found;
        }

        var created = await store.TryCreateAsync(externalId, "{}", now, cancellationToken)
            ?? await store.FindByExternalIdAsync(externalId, cancellationToken)
            ?? throw new InvalidOperationException($"The user '{externalId}' was neither created nor found.");
        await cache.StoreAsync(created.ExternalId, created, cancellationToken);
        return created;
    }

    /// <summary>Drops the cached user after its attributes changed elsewhere (an SDK identify).</summary>
    public ValueTask ForgetAsync(string externalId, CancellationToken cancellationToken) => cache.InvalidateAsync(externalId, cancellationToken);

    public Task<Page<User>> ListAsync(PageRequest request, CancellationToken cancellationToken) => store.ListAsync(request, cancellationToken);

    public Task<long> CountAsync(CancellationToken cancellationToken) => store.CountAsync(cancellationToken);

    private static void ValidateAttributes(ValidationErrors errors, string? attributes)
    {
        const string Field = "userAttributes";
        if (!Rules.RequiredText(errors, Field, attributes, Limits.MaxUserAttributesLength))
        {
            return;
        }

        try
        {
            using var document = JsonDocument.Parse(attributes!);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                errors.Add(Field, "'userAttributes' must be a JSON object encoded as a string, e.g. \"{\\\"email\\\":\\\"a@b.c\\\"}\".");
            }
            else if (!document.RootElement.TryGetProperty("email", out var email)
                     || email.ValueKind != JsonValueKind.String
                     || string.IsNullOrWhiteSpace(email.GetString()))
            {
                errors.Add(Field, "'userAttributes' must contain a non-blank string \"email\".");
            }
        }
        catch (JsonException exception)
        {
            errors.Add(Field, $"'userAttributes' is not valid JSON (line {exception.LineNumber + 1}, position {exception.BytePositionInLine + 1}).");
        }
    }
}
