namespace Shop.Worker.CatalogActivity;

/// <summary>How the consumer settles a delivery with the broker.</summary>
public enum DeliveryOutcome
{
    /// <summary>Done (or already done before): ack.</summary>
    Processed,

    /// <summary>Can never succeed (malformed, permanent error): nack without requeue.</summary>
    Rejected,

    /// <summary>Not done because we are stopping: nack with requeue for another consumer.</summary>
    Requeue,
}
