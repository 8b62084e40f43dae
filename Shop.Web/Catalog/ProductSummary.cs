using System.Globalization;

namespace Shop.Web.Catalog;

/// <summary>The fields of the API's product the pages show.</summary>
public sealed record ProductSummary(Guid Id, string Name, decimal Price, string Currency)
{
    // Invariant culture: the server's locale must not decide how shoppers see prices.
    public string DisplayPrice => $"{Price.ToString("0.00", CultureInfo.InvariantCulture)} {Currency}";
}
