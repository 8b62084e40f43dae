using System.Text.RegularExpressions;

namespace ShopAspire.Hosting;

/// <summary>Aspire's rule for resource names: they become DNS names, env var keys and connection string keys.</summary>
internal static partial class ResourceName
{
    public static string Validate(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!Pattern().IsMatch(name))
        {
            throw new ArgumentException(
                $"Resource name '{name}' is invalid: use 1-64 ASCII letters, digits and hyphens, starting with a letter, no double or trailing hyphen.",
                nameof(name));
        }
        return name;
    }

    [GeneratedRegex("^[a-zA-Z](?!.*--)[a-zA-Z0-9-]{0,63}(?<!-)$")]
    private static partial Regex Pattern();
}
