using System.Diagnostics;

namespace Shop.Api.Messaging;

internal static class TraceContextHeaders
{
    /// <summary>
    /// Message headers carrying <paramref name="activity"/>'s W3C trace context (traceparent,
    /// tracestate), so the consumer's work joins the same trace as the request that caused it.
    /// </summary>
    public static Dictionary<string, object?> For(Activity? activity)
    {
        var headers = new Dictionary<string, object?>();
        if (activity is not null)
        {
            DistributedContextPropagator.Current.Inject(activity, headers,
                static (carrier, name, value) => ((Dictionary<string, object?>)carrier!)[name] = value);
        }

        return headers;
    }
}
