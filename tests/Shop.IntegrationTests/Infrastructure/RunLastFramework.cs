using System.Reflection;
using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: Xunit.TestFramework(Shop.IntegrationTests.Infrastructure.RunLastFramework.TypeName, Shop.IntegrationTests.Infrastructure.RunLastFramework.AssemblyName)]

namespace Shop.IntegrationTests.Infrastructure;

/// <summary>Marks a test class that runs after every other class of its collection (see <see cref="RunLastFramework"/>).</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class RunLastAttribute : Attribute;

/// <summary>
/// xunit's own framework, except that in each collection the classes marked [RunLast] run after
/// the others. xunit 2 has no class orderer: a collection runs its classes in discovery order and
/// a test case orderer only orders the tests inside one class, so the load gate ran wherever its
/// namespace happened to sort, and the 1M-order seeding of a later class ran after it on a
/// quiet machine the gate had waited for. Within a class, tests keep xunit's order.
/// </summary>
public sealed class RunLastFramework(IMessageSink messageSink) : XunitTestFramework(messageSink)
{
    public const string TypeName = "Shop.IntegrationTests.Infrastructure.RunLastFramework";
    public const string AssemblyName = "Shop.IntegrationTests";

    /// <summary>The collection's tests with those of [RunLast] classes moved to the end, the order otherwise kept.</summary>
    public static IReadOnlyList<TTestCase> Order<TTestCase>(IEnumerable<TTestCase> testCases)
        where TTestCase : ITestCase =>
        testCases.OrderBy(testCase => testCase.TestMethod.TestClass.Class.GetCustomAttributes(typeof(RunLastAttribute)).Any() ? 1 : 0).ToList();

    protected override ITestFrameworkExecutor CreateExecutor(AssemblyName assemblyName) =>
        new Executor(assemblyName, SourceInformationProvider, DiagnosticMessageSink);

    private sealed class Executor(AssemblyName assemblyName, ISourceInformationProvider sourceInformationProvider, IMessageSink diagnosticMessageSink)
        : XunitTestFrameworkExecutor(assemblyName, sourceInformationProvider, diagnosticMessageSink)
    {
        // async void, as in the XunitTestFrameworkExecutor it replaces: the runner reports through the message sink.
        protected override async void RunTestCases(IEnumerable<IXunitTestCase> testCases, IMessageSink executionMessageSink, ITestFrameworkExecutionOptions executionOptions)
        {
            using var runner = new AssemblyRunner(TestAssembly, testCases, DiagnosticMessageSink, executionMessageSink, executionOptions);
            await runner.RunAsync();
        }
    }

    private sealed class AssemblyRunner(
        ITestAssembly testAssembly,
        IEnumerable<IXunitTestCase> testCases,
        IMessageSink diagnosticMessageSink,
        IMessageSink executionMessageSink,
        ITestFrameworkExecutionOptions executionOptions)
        : XunitTestAssemblyRunner(testAssembly, testCases, diagnosticMessageSink, executionMessageSink, executionOptions)
    {
        protected override Task<RunSummary> RunTestCollectionAsync(IMessageBus messageBus, ITestCollection testCollection, IEnumerable<IXunitTestCase> testCases, CancellationTokenSource cancellationTokenSource) =>
            base.RunTestCollectionAsync(messageBus, testCollection, Order(testCases), cancellationTokenSource);
    }
}
