namespace Shop.Web.Api;

/// <summary>
/// Shop.Api is down, too slow or answered with a server error: pages show plain words and a retry
/// link instead of the data, never a stack trace.
/// </summary>
public sealed class ApiUnavailableException(string message, Exception? innerException = null)
    : Exception(message, innerException);
