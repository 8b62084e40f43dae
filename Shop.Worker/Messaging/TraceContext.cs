using System.Diagnostics;
using System.Text;

namespace Shop.Worker.Messaging;

internal static class TraceContext
{
    /// <summary>
    /// The W3C trace context (traceparent/tracestate) the publisher put in the message headers,
    /// or default when there is none, so the consumer's span continues the publisher's trace.
    /// </summary>
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
        value = null;
        if (carrier is IDictionary<string, object?> headers && headers.TryGetValue(name, out var raw))
        {
            // AMQP delivers string headers as UTF-8 byte arrays.
            value = raw switch
            {
                byte[] bytes => Encoding.UTF8.GetString(bytes),
                string text => text,
                _ => null,
            };
        }
    }
}
