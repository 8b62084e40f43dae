namespace ShopAspire.Hosting;

/// <summary>
/// Where a referenced project lives and what it builds to. The AppHost build generates one
/// <c>Projects.&lt;Name&gt;</c> class per ProjectReference marked IsAspireProjectResource.
/// </summary>
public interface IProjectMetadata
{
    string ProjectPath { get; }

    /// <summary>The assembly the project builds to (its TargetPath).</summary>
    string ExecutablePath { get; }
}
