using System.Globalization;

namespace Shop.Web.Catalog;

public static class Money
{
    // Invariant culture: the server's locale must not decide how shoppers see prices.
    public static string Format(decimal amount, string currency) =>
        $"{amount.ToString("0.00", CultureInfo.InvariantCulture)} {currency}";
}
