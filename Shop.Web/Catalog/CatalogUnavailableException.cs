namespace Shop.Web.Catalog;

/// <summary>The catalog API is down, slow or answering nonsense: pages show a notice instead.</summary>
public sealed class CatalogUnavailableException(Exception innerException)
    : Exception("The catalog API is unavailable.", innerException);
