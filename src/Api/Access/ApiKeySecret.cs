using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace BackpropService.Api.Access;

/// <summary>Makes API key secrets and the hashes that are stored in their place.</summary>
public static class ApiKeySecret
{
    /// <summary>Every key starts with this, so a leaked one is easy to recognise (and to search for in code).</summary>
    public const string Prefix = "bp_";

    /// <summary>A new secret: <see cref="Prefix"/> and 256 random bits, base64url.</summary>
    public static string Generate() => Prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary>
    /// The stored form of a secret: lowercase hex SHA-256. A fast hash is enough (and lets every request check
    /// its key cheaply) because generated secrets carry 256 random bits, far beyond guessing; configured ones
    /// (<c>Auth:AdminKey</c>) must be long too (<see cref="MinimumLength"/>).
    /// </summary>
    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>Shortest secret accepted from configuration.</summary>
    public const int MinimumLength = 24;
}
