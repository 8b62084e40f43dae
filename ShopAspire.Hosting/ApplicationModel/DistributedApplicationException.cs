namespace ShopAspire.Hosting;

/// <summary>The app model could not start or a resource failed; the message says what to do.</summary>
public sealed class DistributedApplicationException(string message, Exception? inner = null) : Exception(message, inner);
