using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ShopAspire.AppHost.Tests;

/// <summary>
/// The manifest azd reads (schema aspire-8.0.json), written by the built AppHost in a child process
/// exactly as `azd` or `dotnet run -- --publisher manifest` writes it.
/// </summary>
public sealed partial class ManifestTests(PublishedManifest manifest) : IClassFixture<PublishedManifest>
{
    private static readonly string[] Projects = ["api", "worker", "web", "payments"];

    [Fact]
    public void Manifest_lists_the_servers_as_containers_with_connection_strings()
    {
        var postgres = manifest.Resource("postgres");
        var cache = manifest.Resource("cache");
        var messaging = manifest.Resource("messaging");
        foreach (var (name, server) in new[] { ("postgres", postgres), ("cache", cache), ("messaging", messaging) })
        {
            Assert.Matches("^container\\.v[01]$", PublishedManifest.Type(server));
            Assert.False(string.IsNullOrEmpty((string?)server["connectionString"]), $"{name} has no connectionString");
            // WithDataVolume: azd turns it into a file share, so the data outlives a revision.
            Assert.NotEmpty(server["volumes"]!.AsArray());
        }

        Assert.StartsWith("docker.io/library/postgres:", (string?)postgres["image"]);
        Assert.Equal("Host={postgres.bindings.tcp.host};Port={postgres.bindings.tcp.port};Username=postgres;Password={postgres-password.value}",
            (string?)postgres["connectionString"]);
        Assert.Equal(5432, (int?)postgres["bindings"]!["tcp"]!["targetPort"]);

        Assert.StartsWith("docker.io/library/redis:", (string?)cache["image"]);
        Assert.StartsWith("{cache.bindings.tcp.host}:{cache.bindings.tcp.port},password={cache-password.value}", (string?)cache["connectionString"]);
        Assert.Equal(6379, (int?)cache["bindings"]!["tcp"]!["targetPort"]);

        Assert.StartsWith("docker.io/library/rabbitmq:", (string?)messaging["image"]);
        Assert.Equal("amqp://guest:{messaging-password-uri-encoded.value}@{messaging.bindings.tcp.host}:{messaging.bindings.tcp.port}",
            (string?)messaging["connectionString"]);
        Assert.Equal(5672, (int?)messaging["bindings"]!["tcp"]!["targetPort"]);
    }

    /// <summary>
    /// Nothing else creates shopdb and paymentsdb in a deployed container (Aspire does only when it
    /// runs the app). Runs the container's entrypoint script here with the init folder moved to a
    /// temp folder and a stand-in for the image's docker-entrypoint.sh.
    /// </summary>
    [Fact]
    public async Task Manifest_has_the_postgres_container_create_both_databases_on_first_start()
    {
        var postgres = manifest.Resource("postgres");
        Assert.Equal("/bin/sh", (string?)postgres["entrypoint"]);
        var args = postgres["args"]!.AsArray().Select(a => (string?)a).ToList();
        Assert.Equal(2, args.Count);
        Assert.Equal("-c", args[0]);
        var script = args[1]!;
        Assert.Contains("/docker-entrypoint-initdb.d/", script, StringComparison.Ordinal);

        using var folder = new TempFolder();
        var initFolder = Directory.CreateDirectory(Path.Combine(folder.Path, "initdb.d")).FullName;
        var bin = Directory.CreateDirectory(Path.Combine(folder.Path, "bin")).FullName;
        var imageEntrypoint = Path.Combine(bin, "docker-entrypoint.sh");
        File.WriteAllText(imageEntrypoint, $"#!/bin/sh\necho \"$@\" > '{folder.Path}/started-with'\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(imageEntrypoint, (UnixFileMode)Convert.ToInt32("755", 8));
        }

        var start = new System.Diagnostics.ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script.Replace("/docker-entrypoint-initdb.d/", initFolder + "/", StringComparison.Ordinal));
        start.Environment["PATH"] = $"{bin}:{Environment.GetEnvironmentVariable("PATH")}";
        using var shell = System.Diagnostics.Process.Start(start)!;
        var errors = await shell.StandardError.ReadToEndAsync();
        await shell.WaitForExitAsync();

        Assert.True(shell.ExitCode == 0, errors);
        var sql = Assert.Single(Directory.GetFiles(initFolder));
        Assert.EndsWith(".sql", sql, StringComparison.Ordinal);
        Assert.Equal("CREATE DATABASE \"shopdb\";\nCREATE DATABASE \"paymentsdb\";\n", File.ReadAllText(sql));
        Assert.Equal("postgres\n", File.ReadAllText(Path.Combine(folder.Path, "started-with")));
    }

    [Theory]
    [InlineData("shopdb")]
    [InlineData("paymentsdb")]
    public void Manifest_lists_each_database_as_a_value_on_the_postgres_connection_string(string database)
    {
        var resource = manifest.Resource(database);
        Assert.Equal("value.v0", PublishedManifest.Type(resource));
        Assert.Equal($"{{postgres.connectionString}};Database={database}", (string?)resource["connectionString"]);
    }

    [Fact]
    public void Manifest_has_no_native_server_resources()
    {
        Assert.DoesNotContain(manifest.Resources, r => PublishedManifest.Type(r.Value!.AsObject()) == "executable.v0");
        Assert.False(manifest.Resources.ContainsKey("messaging-epmd"), "the native broker's epmd leaked into the manifest");
    }

    [Fact]
    public void Manifest_lists_every_service_as_a_project_with_a_path_that_exists()
    {
        var expectedProjectFiles = new Dictionary<string, string>
        {
            ["api"] = "Shop.Api.csproj",
            ["worker"] = "Shop.Worker.csproj",
            ["web"] = "Shop.Web.csproj",
            ["payments"] = "Shop.PaymentProvider.csproj",
        };
        var manifestFolder = Path.GetDirectoryName(manifest.Path)!;
        foreach (var (name, projectFile) in expectedProjectFiles)
        {
            var project = manifest.Resource(name);
            Assert.Matches("^project\\.v[01]$", PublishedManifest.Type(project));
            // Paths are relative to the manifest; azd resolves them against its folder.
            var path = (string?)project["path"] ?? "";
            Assert.Equal(projectFile, Path.GetFileName(path));
            Assert.True(File.Exists(Path.GetFullPath(Path.Combine(manifestFolder, path))), $"{name}'s path {path} does not resolve to a file from {manifestFolder}");
            // The port the container listens on comes from the binding, as azd maps it to the app's ingress.
            Assert.Equal($"{{{name}.bindings.http.targetPort}}", PublishedManifest.Env(project, "HTTP_PORTS"));
            Assert.Equal("http", (string?)project["bindings"]?["http"]?["scheme"]);
        }
    }

    [Fact]
    public void Manifest_gives_each_service_the_connection_strings_it_references()
    {
        var expected = new Dictionary<string, string[]>
        {
            ["api"] = ["shopdb", "cache", "messaging"],
            ["worker"] = ["shopdb", "messaging"],
            ["web"] = ["cache", "messaging"],
            ["payments"] = ["paymentsdb"],
        };
        foreach (var (project, references) in expected)
        {
            foreach (var reference in references)
            {
                Assert.Equal($"{{{reference}.connectionString}}", PublishedManifest.Env(manifest.Resource(project), $"ConnectionStrings__{reference}"));
            }
        }
        Assert.Null(PublishedManifest.Env(manifest.Resource("web"), "ConnectionStrings__shopdb"));
        Assert.Equal("{api.bindings.http.url}", PublishedManifest.Env(manifest.Resource("web"), "services__api__http__0"));
        Assert.Equal("{payments.bindings.http.url}", PublishedManifest.Env(manifest.Resource("worker"), "services__payments__http__0"));
    }

    /// <summary>
    /// A deployment gets smtp4dev's own image, of the tool's version, with the endpoint names the
    /// worker and tests use: SMTP on 25 for the worker, its web inbox and API on 80, mail on a volume.
    /// </summary>
    [Fact]
    public void Manifest_has_the_mail_server_as_the_smtp4dev_container_that_the_worker_sends_to()
    {
        var mail = manifest.Resource("mail");
        Assert.Matches("^container\\.v[01]$", PublishedManifest.Type(mail));
        Assert.Equal($"docker.io/rnwood/smtp4dev:{ToolVersion()}", (string?)mail["image"]);
        var smtp = mail["bindings"]?["smtp"]?.AsObject() ?? throw new Xunit.Sdk.XunitException("mail has no smtp binding");
        Assert.Equal("tcp", (string?)smtp["transport"]);
        Assert.Equal(25, (int?)smtp["targetPort"]);
        Assert.Equal(80, (int?)mail["bindings"]?["http"]?["targetPort"]);
        Assert.Equal("http", (string?)mail["bindings"]?["http"]?["scheme"]);
        var volume = Assert.Single(mail["volumes"]!.AsArray());
        Assert.Equal("/smtp4dev", (string?)volume!["target"]);
        var args = mail["args"]!.AsArray().Select(a => (string?)a).ToList();
        Assert.Contains("--imapport=", args);
        Assert.Contains(args, a => a!.StartsWith("--db=/smtp4dev/", StringComparison.Ordinal));
        Assert.Equal("smtp://{mail.bindings.smtp.host}:{mail.bindings.smtp.port}", PublishedManifest.Env(manifest.Resource("worker"), "ConnectionStrings__mail"));
    }

    /// <summary>The pinned version of the smtp4dev tool in the repository's .config/dotnet-tools.json.</summary>
    private static string ToolVersion()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, ".config", "dotnet-tools.json")))
        {
            folder = folder.Parent;
        }
        var path = Path.Combine(folder?.FullName ?? throw new Xunit.Sdk.XunitException("no .config/dotnet-tools.json above the test"), ".config", "dotnet-tools.json");
        return (string?)JsonNode.Parse(File.ReadAllText(path))?["tools"]?["rnwood.smtp4dev"]?["version"]
            ?? throw new Xunit.Sdk.XunitException($"{path} pins no rnwood.smtp4dev version");
    }

    [Theory]
    [InlineData("postgres-password", 22)]
    [InlineData("cache-password", 22)]
    [InlineData("messaging-password", 22)]
    [InlineData("jwt-signing-key", 48)]
    [InlineData("admin-password", 20)]
    public void Manifest_declares_each_secret_as_a_generated_parameter(string name, int minLength)
    {
        var parameter = manifest.Resource(name);
        Assert.Equal("parameter.v0", PublishedManifest.Type(parameter));
        Assert.Equal($"{{{name}.inputs.value}}", (string?)parameter["value"]);
        var input = parameter["inputs"]?["value"]?.AsObject() ?? throw new Xunit.Sdk.XunitException($"{name} has no inputs.value");
        Assert.True((bool?)input["secret"] == true, $"{name} is not marked secret");
        Assert.Equal(minLength, (int?)input["default"]?["generate"]?["minLength"]);
    }

    [Fact]
    public void Manifest_passes_secrets_to_services_only_as_parameter_references()
    {
        var secretEnv = new (string Project, string Key, string Parameter)[]
        {
            ("api", "Auth__SigningKey", "jwt-signing-key"),
            ("worker", "Auth__SigningKey", "jwt-signing-key"),
            ("api", "Auth__Admin__Password", "admin-password"),
        };
        foreach (var (project, key, parameter) in secretEnv)
        {
            Assert.Equal($"{{{parameter}.value}}", PublishedManifest.Env(manifest.Resource(project), key));
        }
        // No environment variable anywhere carries a literal that could be a secret.
        foreach (var (name, resource) in manifest.Resources)
        {
            foreach (var (key, value) in resource!["env"]?.AsObject() ?? [])
            {
                if (key.Contains("PASSWORD", StringComparison.OrdinalIgnoreCase) || key.Contains("SigningKey", StringComparison.Ordinal))
                {
                    Assert.Matches("^\\{[a-z0-9-]+\\.value\\}$", (string?)value);
                }
            }
        }
    }

    [Fact]
    public void Manifest_exposes_only_the_storefront_outside_the_environment()
    {
        var external = manifest.Resources
            .SelectMany(r => (r.Value!["bindings"]?.AsObject() ?? []).Select(b => (Resource: r.Key, Binding: b.Key, External: (bool?)b.Value!["external"] == true)))
            .Where(b => b.External)
            .ToList();
        Assert.NotEmpty(external);
        Assert.All(external, b => Assert.Equal("web", b.Resource));
        Assert.Contains(external, b => b.Binding == "http");
    }

    [Fact]
    public void Manifest_references_only_resources_and_bindings_it_declares()
    {
        var problems = new List<string>();
        foreach (var text in AllStrings(manifest.Resources))
        {
            foreach (Match expression in Expression().Matches(text))
            {
                var reference = Reference().Match(expression.Value);
                if (!reference.Success)
                {
                    problems.Add($"{expression.Value} in \"{text}\" is not an expression azd evaluates");
                    continue;
                }
                var target = reference.Groups["resource"].Value;
                if (manifest.Resources[target] is not JsonObject resource)
                {
                    problems.Add($"{expression.Value}: no resource '{target}'");
                    continue;
                }
                if (reference.Groups["binding"].Success && resource["bindings"]?[reference.Groups["binding"].Value] is null)
                {
                    problems.Add($"{expression.Value}: '{target}' has no binding '{reference.Groups["binding"].Value}'");
                }
            }
        }
        Assert.Empty(problems);
    }

    [Fact]
    public void Manifest_uses_only_the_fields_the_aspire_8_schema_allows()
    {
        // aspire-8.0.json forbids additional properties on these types; azd reads nothing else.
        // (Replica counts have no field there: see ReplicaTests.)
        var allowed = new Dictionary<string, string[]>
        {
            ["container.v0"] = ["type", "connectionString", "image", "entrypoint", "args", "env", "bindings", "volumes", "bindMounts", "build", "containerFiles"],
            ["container.v1"] = ["type", "connectionString", "image", "entrypoint", "args", "env", "bindings", "volumes", "bindMounts", "build", "containerFiles", "deployment"],
            ["project.v0"] = ["type", "path", "args", "env", "bindings", "containerFiles"],
            ["project.v1"] = ["type", "path", "args", "env", "bindings", "containerFiles", "deployment"],
            ["value.v0"] = ["type", "connectionString"],
            ["parameter.v0"] = ["type", "value", "inputs", "connectionString"],
            ["annotated.string"] = ["type", "value", "filter"],
        };
        foreach (var (name, node) in manifest.Resources)
        {
            var resource = node!.AsObject();
            var type = PublishedManifest.Type(resource);
            Assert.True(allowed.ContainsKey(type), $"{name} has type '{type}', which azd cannot deploy here");
            Assert.All(resource.Select(p => p.Key), key => Assert.True(allowed[type].Contains(key), $"{name} ({type}) has field '{key}' outside the schema"));
        }
    }

    private static IEnumerable<string> AllStrings(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => AllStrings(p.Value)),
        JsonArray a => a.SelectMany(AllStrings),
        JsonValue v when v.TryGetValue<string>(out var s) => [s],
        _ => [],
    };

    [GeneratedRegex(@"\{[^{}]*\}")]
    private static partial Regex Expression();

    [GeneratedRegex(@"^\{(?<resource>[A-Za-z0-9-]+)\.(?:bindings\.(?<binding>[A-Za-z0-9-]+)\.(?:scheme|protocol|transport|external|host|targetPort|port|url)|connectionString|value|inputs\.value)\}$")]
    private static partial Regex Reference();
}
