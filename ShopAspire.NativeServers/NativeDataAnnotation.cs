using Aspire.Hosting.ApplicationModel;

namespace ShopAspire.NativeServers;

/// <summary>The folder a native server keeps its files in, and the part of it that is data.</summary>
public sealed record NativeDataAnnotation(string Folder, string DataSubfolder = "data") : IResourceAnnotation
{
    public string DataPath => Path.Combine(Folder, DataSubfolder);
}

/// <summary>What WithDataVolume means for a native server: the data outlives the run.</summary>
public sealed class KeepDataAnnotation : IResourceAnnotation;
