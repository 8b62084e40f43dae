namespace ShopAspire.Hosting;

/// <summary>
/// Who must be up before whom. Waiting edges (parent, WaitFor) decide start order; reference edges
/// decide stop order too, so a project stops before the server it talks to.
/// </summary>
internal static class DependencyGraph
{
    /// <summary>What <paramref name="resource"/> waits for before it starts, and how.</summary>
    public static IEnumerable<(IResource Resource, WaitType WaitType)> WaitsOf(IResource resource)
    {
        if (resource is IResourceWithParent child)
        {
            yield return (child.Parent, WaitType.WaitUntilHealthy);
        }
        foreach (var wait in resource.Annotations.OfType<WaitAnnotation>())
        {
            yield return (wait.Resource, wait.WaitType);
        }
    }

    public static IEnumerable<IResource> DependenciesOf(IResource resource) =>
        WaitsOf(resource).Select(w => w.Resource)
            .Concat(resource.Annotations.OfType<ResourceReferenceAnnotation>().Select(r => r.Resource))
            .Distinct();

    /// <summary>Resources in an order where each comes after everything it depends on; throws on a cycle.</summary>
    public static IReadOnlyList<IResource> StartOrder(IReadOnlyList<IResource> resources)
    {
        var order = new List<IResource>();
        var state = new Dictionary<IResource, bool>(); // false = visiting, true = done
        foreach (var resource in resources)
        {
            Visit(resource, state, order, []);
        }
        return order;
    }

    /// <summary>
    /// Groups to stop one after another: first the resources nothing depends on, last the ones
    /// everything depends on. Resources of one group stop in parallel.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<IResource>> StopWaves(IReadOnlyList<IResource> resources)
    {
        var depth = new Dictionary<IResource, int>();
        foreach (var resource in StartOrder(resources))
        {
            depth[resource] = DependenciesOf(resource).Select(d => depth.GetValueOrDefault(d, 0) + 1).DefaultIfEmpty(0).Max();
        }
        return depth.GroupBy(kv => kv.Value).OrderByDescending(g => g.Key).Select(g => (IReadOnlyList<IResource>)g.Select(kv => kv.Key).ToArray()).ToArray();
    }

    private static void Visit(IResource resource, Dictionary<IResource, bool> state, List<IResource> order, Stack<IResource> path)
    {
        if (state.TryGetValue(resource, out var done))
        {
            if (!done)
            {
                var cycle = path.Reverse().SkipWhile(r => r != resource).Append(resource).Select(r => r.Name);
                throw new DistributedApplicationException($"The app model has a dependency cycle: {string.Join(" -> ", cycle)}.");
            }
            return;
        }
        state[resource] = false;
        path.Push(resource);
        foreach (var dependency in DependenciesOf(resource))
        {
            Visit(dependency, state, order, path);
        }
        path.Pop();
        state[resource] = true;
        order.Add(resource);
    }
}
