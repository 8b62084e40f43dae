using Shop.Seeder;

// Shop.Seeder: fills a stack's shopdb with volume, and benchmarks deep order pages.
//
//   dotnet run -c Release --project Shop.Seeder -- seed [--orders 1000000] [--products 100000] [--users 100000]
//       [--big-customers 3] [--workers 2] [--connection "<shopdb connection string>"]
//   dotnet run -c Release --project Shop.Seeder -- bench --api http://127.0.0.1:<port> [--page 10000] [--page-size 20]
//       [--rounds 300] [--connection "..."]
//
// The connection string defaults to ConnectionStrings__shopdb, as a project the AppHost starts gets it.

var command = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : "seed";
var options = ParseOptions(args.SkipWhile(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray());
var connectionString = options.GetValueOrDefault("connection") ?? Environment.GetEnvironmentVariable("ConnectionStrings__shopdb");
if (string.IsNullOrEmpty(connectionString))
{
    Console.Error.WriteLine("No database: pass --connection \"Host=...;Port=...;Username=...;Password=...;Database=shopdb\" or set ConnectionStrings__shopdb.");
    return 2;
}

try
{
    switch (command)
    {
        case "seed":
            var seedOptions = new SeedOptions
            {
                Orders = IntOption("orders", 1_000_000),
                Products = IntOption("products", 100_000),
                Users = IntOption("users", 100_000),
                BigCustomers = IntOption("big-customers", 3),
                Workers = IntOption("workers", 2),
                BatchSize = IntOption("batch-size", 50_000),
            };
            var report = await new ShopSeeder(connectionString, seedOptions, Console.Out).SeedAsync();
            Console.WriteLine($"Seeded {report.Products:N0} products, {report.Users:N0} users, {report.Orders:N0} orders, {report.OrderLines:N0} lines, " +
                $"{report.StatusChanges:N0} status changes in {report.Elapsed.TotalSeconds:0.0} s.");
            Console.WriteLine($"Big customers (sign in with password '{SeedOptions.CustomerPassword}'): " +
                string.Join(", ", Enumerable.Range(0, report.BigCustomerIds.Count).Select(SeedOptions.EmailOf)));
            return 0;

        case "bench":
            var api = options.GetValueOrDefault("api") ?? throw new ArgumentException("bench needs --api http://host:port (the API's address).");
            await new OrdersPageBenchmark(connectionString, new Uri(api), Console.Out)
                .RunAsync(IntOption("page", 10_000), IntOption("page-size", 20), IntOption("rounds", 300));
            return 0;

        default:
            Console.Error.WriteLine($"Unknown command '{command}': use 'seed' or 'bench'.");
            return 2;
    }
}
catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or HttpRequestException)
{
    Console.Error.WriteLine(ex.Message);
    return 1;
}

int IntOption(string name, int fallback) =>
    options.TryGetValue(name, out var value) ? int.Parse(value.Replace("_", ""), System.Globalization.CultureInfo.InvariantCulture) : fallback;

static Dictionary<string, string> ParseOptions(string[] args)
{
    var parsed = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
    for (var i = 0; i < args.Length; i++)
    {
        if (!args[i].StartsWith("--", StringComparison.Ordinal))
        {
            throw new ArgumentException($"Unexpected argument '{args[i]}'.");
        }
        var name = args[i][2..];
        var eq = name.IndexOf('=');
        if (eq >= 0)
        {
            parsed[name[..eq]] = name[(eq + 1)..];
        }
        else if (i + 1 < args.Length)
        {
            parsed[name] = args[++i];
        }
        else
        {
            throw new ArgumentException($"--{name} needs a value.");
        }
    }
    return parsed;
}
