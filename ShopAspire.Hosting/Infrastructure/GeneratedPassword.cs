using System.Security.Cryptography;

namespace ShopAspire.Hosting.Infrastructure;

/// <summary>
/// Passwords the AppHost generates for its servers (Aspire's generated secret parameters). A
/// persistent stack keeps them beside the data, since the data was initialised with them.
/// </summary>
public static class GeneratedPassword
{
    // Letters and digits only: the password goes into URIs and connection strings unescaped-safe.
    private const string Alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    public static string New(int length = 22) => RandomNumberGenerator.GetString(Alphabet, length);

    public static string GetOrCreate(string folder, bool persistent, int length = 22)
    {
        if (!persistent)
        {
            return New(length);
        }
        var file = Path.Combine(folder, ".password");
        if (File.Exists(file))
        {
            return File.ReadAllText(file).Trim();
        }
        var password = New(length);
        File.WriteAllText(file, password);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        return password;
    }
}
