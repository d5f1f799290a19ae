using Pulse.Core.Access;

namespace Pulse.Core.Tests;

public sealed class ApiScopesTests
{
    [Theory]
    [InlineData(ApiScopes.Ingest, ApiScopes.Ingest, true)]
    [InlineData(ApiScopes.Ingest, ApiScopes.Read, false)]
    [InlineData(ApiScopes.Read, ApiScopes.Ingest, false)]
    [InlineData(ApiScopes.Ingest | ApiScopes.Read, ApiScopes.Read, true)]
    [InlineData(ApiScopes.Ingest | ApiScopes.Read, ApiScopes.Admin, false)]
    [InlineData(ApiScopes.Admin, ApiScopes.Ingest, true)]
    [InlineData(ApiScopes.Admin, ApiScopes.Read, true)]
    public void Admin_covers_every_scope_and_the_others_only_themselves(ApiScopes held, ApiScopes needed, bool covered) =>
        Assert.Equal(covered, held.Covers(needed));

    [Theory]
    [InlineData(ApiScopes.Ingest, "pk_ingest_")]
    [InlineData(ApiScopes.Ingest | ApiScopes.Read, "pk_read_")]
    [InlineData(ApiScopes.Read | ApiScopes.Admin, "pk_admin_")]
    public void A_secret_starts_with_its_highest_scope_and_is_never_the_same_twice(ApiScopes scopes, string prefix)
    {
        var first = ApiKeySecrets.Generate(scopes);
        var second = ApiKeySecrets.Generate(scopes);

        Assert.StartsWith(prefix, first, StringComparison.Ordinal);
        Assert.Equal(prefix.Length + 43, first.Length); // 32 random bytes, URL-safe base64 without padding
        Assert.NotEqual(first, second);
        Assert.DoesNotContain('=', first);
    }

    [Fact]
    public void A_secret_hash_round_trips_through_its_bytes_and_differs_between_secrets()
    {
        var hash = SecretHash.Of("pk_read_abc");

        Assert.Equal(hash, SecretHash.FromBytes(hash.ToBytes()));
        Assert.Equal(System.Security.Cryptography.SHA256.HashData("pk_read_abc"u8), hash.ToBytes());
        Assert.NotEqual(hash, SecretHash.Of("pk_read_abd"));
        Assert.Equal(SecretHash.Of(new string('x', 1000)), SecretHash.FromBytes(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(new string('x', 1000)))));
    }
}
