using System.Diagnostics;

namespace ShopAspire.Messaging;

/// <summary>
/// The W3C trace context (traceparent, tracestate) on a message, so that the publish and every
/// consumer's work join the trace of the request that caused them: one checkout, one trace.
/// </summary>
public static class TraceContext
{
    /// <summary>Headers carrying <paramref name="activity"/>'s context; empty without one.</summary>
    public static Dictionary<string, object?> Inject(Activity? activity)
    {
        var headers = new Dictionary<string, object?>();
        if (activity is not null)
        {
            DistributedContextPropagator.Current.Inject(activity, headers,
                static (carrier, name, value) => ((Dictionary<string, object?>)carrier!)[name] = value);
        }
        return headers;
    }

    /// <summary>The context the publisher put in <paramref name="headers"/>, or default when there is none.</summary>
    public static ActivityContext Extract(IDictionary<string, object?>? headers)
    {
        if (headers is null)
        {
            return default;
        }
        DistributedContextPropagator.Current.ExtractTraceIdAndState(headers, ReadHeader, out var traceParent, out var traceState);
        return ActivityContext.TryParse(traceParent, traceState, isRemote: true, out var context) ? context : default;
    }

    private static void ReadHeader(object? carrier, string name, out string? value, out IEnumerable<string>? values)
    {
        values = null;
        value = MessageHeaders.GetString(carrier as IDictionary<string, object?>, name);
    }
}
