using Xunit.Abstractions;
using Xunit.Sdk;

namespace Shop.IntegrationTests.Infrastructure;

public sealed class RunLastFrameworkTests
{
    [Fact]
    public void Classes_marked_run_last_follow_the_others_of_their_collection_and_each_keeps_its_order()
    {
        var cases = new[]
        {
            Case<GateLike>(nameof(GateLike.Measure)),
            Case<DrillLike>(nameof(DrillLike.First)),
            Case<GateLike>(nameof(GateLike.Judge)),
            Case<PlanLike>(nameof(PlanLike.Explain)),
            Case<DrillLike>(nameof(DrillLike.Second)),
        };

        var ordered = RunLastFramework.Order(cases).Select(c => $"{c.TestMethod.TestClass.Class.Name.Split('+')[^1]}.{c.TestMethod.Method.Name}");

        Assert.Equal(["DrillLike.First", "PlanLike.Explain", "DrillLike.Second", "GateLike.Measure", "GateLike.Judge"], ordered);
    }

    private static IXunitTestCase Case<T>(string method)
    {
        var assembly = new TestAssembly(Reflector.Wrap(typeof(T).Assembly));
        var collection = new TestCollection(assembly, null, "collection");
        var testClass = new TestClass(collection, Reflector.Wrap(typeof(T)));
        var testMethod = new TestMethod(testClass, Reflector.Wrap(typeof(T).GetMethod(method)!));
        return new XunitTestCase(new NullMessageSink(), TestMethodDisplay.ClassAndMethod, TestMethodDisplayOptions.None, testMethod);
    }

    [RunLast]
    private sealed class GateLike
    {
        public void Measure() { }

        public void Judge() { }
    }

    private sealed class DrillLike
    {
        public void First() { }

        public void Second() { }
    }

    private sealed class PlanLike
    {
        public void Explain() { }
    }
}
