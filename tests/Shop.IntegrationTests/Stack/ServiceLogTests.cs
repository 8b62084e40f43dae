using System.Text.RegularExpressions;
using Shop.IntegrationTests.Hostile;
using Shop.IntegrationTests.Infrastructure;

namespace Shop.IntegrationTests.Stack;

/// <summary>What the services wrote to their consoles since the stack started (as the dashboard's console view shows it).</summary>
[Collection(ShopStackCollection.Name)]
public partial class ServiceLogTests(ShopStackFixture stack)
{
    private static readonly string[] Services = ["api", "worker", "web"];

    [Fact]
    public void No_service_queried_a_table_before_the_migrations_created_it()
    {
        var missingTables = Services.SelectMany(s => stack.Shop.Logs.Tail(s, 5_000).Select(line => $"{s}: {line}"))
            .Where(line => MissingRelation().IsMatch(line))
            .ToArray();

        Assert.Empty(missingTables);
    }

    [Fact]
    public void Console_logs_are_plain_single_line_entries_without_colour_codes()
    {
        foreach (var service in Services)
        {
            var lines = stack.Shop.Logs.Tail(service, 5_000);

            Assert.Contains(lines, line => Entry().IsMatch(line));
            // The two-line format indents the message on a second line by six spaces.
            Assert.DoesNotContain(lines, line => line.StartsWith("      ", StringComparison.Ordinal));
        }
        // No colour codes, and no control character a client sent (the hostile-text tests send many).
        var withControls = LogInjection.LinesWithControlCharacters(stack, Services);
        Assert.True(withControls.Length == 0, $"{withControls.Length} log lines carry a control character:\n{string.Join('\n', withControls.Take(20))}");
    }

    [GeneratedRegex(@"relation ""[^""]+"" does not exist")]
    private static partial Regex MissingRelation();

    [GeneratedRegex(@"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (?:trce|dbug|info|warn|fail|crit): \S+\[\d+\] ")]
    private static partial Regex Entry();
}
