using System.Buffers.Text;
using System.Security.Cryptography;

namespace Pulse.Core.Access;

/// <summary>
/// Secrets: a prefix naming the key's highest scope (<c>pk_ingest_</c>, <c>pk_read_</c>, <c>pk_admin_</c>), so a key
/// found in a browser bundle or a log says at a glance what it opens, then 32 random bytes in URL-safe base64
/// (43 characters, no padding): safe in headers, URLs and shell variables.
/// </summary>
public static class ApiKeySecrets
{
    private const int RandomBytes = 32;

    public static string Prefix(ApiScopes scopes) => "pk_" + scopes.Highest().Name() + "_";

    public static string Generate(ApiScopes scopes)
    {
        Span<byte> random = stackalloc byte[RandomBytes];
        RandomNumberGenerator.Fill(random);
        return Prefix(scopes) + Base64Url.EncodeToString(random);
    }
}
