using Xunit.Abstractions;
using Xunit.Sdk;

namespace Shop.IntegrationTests.Infrastructure;

/// <summary>Marks a test class whose tests run after the others of its collection (see <see cref="RunLastOrderer"/>).</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class RunLastAttribute : Attribute;

/// <summary>
/// Orders a collection's tests as xunit does by default (by their unique id), except that the
/// tests of classes marked [RunLast] come after every other: a collection that shares its stack
/// between destructive drills and a measurement can say which goes first.
/// </summary>
public sealed class RunLastOrderer : ITestCaseOrderer
{
    public const string TypeName = "Shop.IntegrationTests.Infrastructure.RunLastOrderer";
    public const string AssemblyName = "Shop.IntegrationTests";

    public IEnumerable<TTestCase> OrderTestCases<TTestCase>(IEnumerable<TTestCase> testCases)
        where TTestCase : ITestCase =>
        testCases
            .OrderBy(testCase => testCase.TestMethod.TestClass.Class.GetCustomAttributes(typeof(RunLastAttribute)).Any() ? 1 : 0)
            .ThenBy(testCase => testCase.UniqueID, StringComparer.Ordinal);
}
