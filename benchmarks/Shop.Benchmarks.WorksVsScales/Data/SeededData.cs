namespace Shop.Benchmarks.WorksVsScales.Data;

/// <summary>A position in a "newest first" list: the (created_at, id) of a row, as a keyset cursor holds it.</summary>
public readonly record struct OrderKey(DateTime CreatedAt, Guid Id);

/// <summary>What one size's seeding wrote, for the pairs to pick their inputs from.</summary>
/// <param name="Orders">Rows in orders: the size the results are reported against.</param>
/// <param name="BigCustomerHistory">The big customer's orders, newest first (deep pages exist only for them).</param>
/// <param name="Customers">All seeded customers; the first is the big one.</param>
/// <param name="HotProducts">Best sellers: every checkout of the payment pair buys one of them.</param>
public sealed record SeededData(
    int Orders,
    int Products,
    long OrderLines,
    Guid BigCustomerId,
    IReadOnlyList<OrderKey> BigCustomerHistory,
    IReadOnlyList<Guid> Customers,
    IReadOnlyList<Guid> ProductIds,
    IReadOnlyList<Guid> HotProducts,
    TimeSpan SeedTime);
