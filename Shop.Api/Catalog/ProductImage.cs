using System.Security;
using System.Security.Cryptography;
using System.Text;

namespace Shop.Api.Catalog;

/// <summary>
/// A generated SVG for products without a photo: the product's name on a colour derived from its
/// id, so every product looks different and the same product always looks the same.
/// </summary>
public static class ProductImage
{
    public const string ContentType = "image/svg+xml";

    /// <summary>Browsers and CDNs may keep it an hour; after that they revalidate with the ETag.</summary>
    public const string CacheControl = "public, max-age=3600";

    // Bump when the drawing changes so clients drop images drawn the old way.
    private const string DrawingVersion = "1";

    public static string UrlFor(Guid productId) => $"/api/v1/products/{productId}/image";

    /// <summary>Changes whenever anything drawn changes (name, colour source) or the product is updated.</summary>
    public static string ETagFor(ProductDto product)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{DrawingVersion}|{product.Id}|{product.UpdatedAt.Ticks}|{product.Name}"));
        return $"\"{Convert.ToHexStringLower(hash.AsSpan(0, 12))}\"";
    }

    public static string Render(ProductDto product)
    {
        Span<byte> idBytes = stackalloc byte[16];
        product.Id.TryWriteBytes(idBytes);
        var hue = BitConverter.ToUInt32(SHA256.HashData(idBytes)) % 360;
        var label = product.Name.Length > 40 ? product.Name[..39] + "\u2026" : product.Name;

        // The name is XML-escaped: a product called "<script>..." is drawn as text, never run.
        return $"""
            <svg xmlns="http://www.w3.org/2000/svg" width="400" height="300" viewBox="0 0 400 300" role="img" aria-label="{SecurityElement.Escape(label)}">
              <rect width="400" height="300" fill="hsl({hue}, 55%, 45%)"/>
              <circle cx="200" cy="120" r="60" fill="hsl({(hue + 180) % 360}, 60%, 70%)" opacity="0.8"/>
              <text x="200" y="240" font-family="sans-serif" font-size="20" fill="#fff" text-anchor="middle">{SecurityElement.Escape(label)}</text>
            </svg>
            """;
    }

    /// <summary>True when the client's If-None-Match already names this ETag (or is "*").</summary>
    public static bool Matches(string? ifNoneMatch, string etag)
    {
        if (string.IsNullOrEmpty(ifNoneMatch))
        {
            return false;
        }

        foreach (var candidate in ifNoneMatch.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            // Weak comparison (RFC 9110 13.1.2): W/"x" matches "x".
            var value = candidate.StartsWith("W/", StringComparison.Ordinal) ? candidate[2..] : candidate;
            if (value == "*" || value == etag)
            {
                return true;
            }
        }

        return false;
    }
}
