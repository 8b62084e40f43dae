namespace Shop.Seeder;

/// <summary>How much to seed. Defaults are the full volume the issue asks for.</summary>
public sealed record SeedOptions
{
    public int Products { get; init; } = 100_000;
    public int Users { get; init; } = 100_000;
    public int Orders { get; init; } = 1_000_000;

    /// <summary>
    /// Customers with a large share of all orders, so deep pages exist: the first gets 21% (at
    /// 1M orders that is 210k, i.e. more than 10,000 pages of 20), the others 4% each.
    /// </summary>
    public int BigCustomers { get; init; } = 3;

    /// <summary>Orders generated and copied per batch; each worker holds one batch in memory.</summary>
    public int BatchSize { get; init; } = 50_000;

    /// <summary>Parallel COPY connections.</summary>
    public int Workers { get; init; } = 2;

    /// <summary>Random seed: the same options produce the same data (ids aside, which embed the time).</summary>
    public int RandomSeed { get; init; } = 20261123;

    public const double BiggestCustomerShare = 0.21;
    public const double OtherBigCustomerShare = 0.04;

    /// <summary>All seeded customers sign in with this password (a seeding tool's data is public anyway).</summary>
    public const string CustomerPassword = "seeded-customer-password";

    public static string EmailOf(int userIndex) => $"seed-customer-{userIndex}@seed.shopaspire.local";
}

/// <summary>What a seeding run wrote and how long it took.</summary>
public sealed record SeedReport(int Products, int Users, int Orders, long OrderLines, long StatusChanges, IReadOnlyList<Guid> BigCustomerIds, TimeSpan Elapsed);
