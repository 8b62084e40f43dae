using ShopAspire.AppHost;
using ShopAspire.AppHost.Monitoring;
using ShopAspire.NativeServers;
using ShopAspire.NativeServers.Postgres;
using ShopAspire.NativeServers.RabbitMQ;
using ShopAspire.NativeServers.Redis;

var builder = DistributedApplication.CreateBuilder(args);

// One model, two runtimes: Aspire's containers when publishing or when a container runtime
// answers, else the same resources as Debian's server binaries under DCP (ShopAspire:Servers forces
// one when running; a manifest always gets the containers, which azd maps to cloud services).
IResourceBuilder<IResourceWithConnectionString> shopdb, paymentsdb, cache, messaging;
if (builder.ChooseServerRuntime() == ServerRuntime.Containers)
{
    var postgres = builder.AddPostgres("postgres").WithDataVolume();
    shopdb = postgres.AddDatabase("shopdb");
    paymentsdb = postgres.AddDatabase("paymentsdb");
    if (builder.ExecutionContext.IsPublishMode)
    {
        postgres.WithDatabasesCreatedOnFirstStart(); // when run, Aspire creates them itself
    }
    cache = builder.AddRedis("cache").WithDataVolume();
    messaging = builder.AddRabbitMQ("messaging").WithManagementPlugin().WithDataVolume();
}
else
{
    var postgres = builder.AddNativePostgres("postgres").WithDataVolume();
    shopdb = postgres.AddDatabase("shopdb");
    paymentsdb = postgres.AddDatabase("paymentsdb");
    cache = builder.AddNativeRedis("cache").WithDataVolume();
    messaging = builder.AddNativeRabbitMQ("messaging").WithManagementPlugin().WithDataVolume();
}

// Generated once per developer (user secrets), overridable as Parameters:<name>.
var jwtSigningKey = builder.AddGeneratedSecret("jwt-signing-key", length: 48);
var adminPassword = builder.AddGeneratedSecret("admin-password", length: 20);

var api = builder.AddProject<Projects.Shop_Api>("api")
    .WithReference(shopdb).WithReference(cache).WithReference(messaging)
    .WithEnvironment("Auth__SigningKey", jwtSigningKey)
    .WithEnvironment("Auth__Admin__Email", "admin@shopaspire.local")
    .WithEnvironment("Auth__Admin__Password", adminPassword)
    .WithEnvironment("Shop__SeedDemoCatalog", builder.Configuration["ShopAspire:SeedDemoCatalog"] ?? "true") // demo catalog on a first start in Development
    .WaitFor(shopdb).WaitFor(cache).WaitFor(messaging)
    .WithHttpHealthCheck("/health")
    .WithReplicas(builder.Replicas("api", 2));

// Stand-ins for the outside world: a card payment provider and smtp4dev, a mail server that
// delivers nothing and shows every mail in its web inbox.
var payments = builder.AddProject<Projects.Shop_PaymentProvider>("payments")
    .WithReference(paymentsdb)
    .WaitFor(paymentsdb)
    .WithHttpHealthCheck("/health");
if (builder.ExecutionContext.IsRunMode)
{
    // One instance: nothing for DCP's proxy to balance, and it would copy every charge once more.
    payments.WithoutProxy("http");
}
var mail = builder.AddDevMailServer("mail");

var worker = builder.AddProject<Projects.Shop_Worker>("worker")
    .WithReference(shopdb).WithReference(messaging)
    .WithReference(payments)
    .WithEnvironment("ConnectionStrings__mail", ReferenceExpression.Create($"smtp://{mail.GetEndpoint(DevMailServer.SmtpEndpointName).Property(EndpointProperty.HostAndPort)}"))
    .WithEnvironment("Auth__SigningKey", jwtSigningKey) // checks the API's admin tokens on its operations endpoints
    .WaitFor(api).WaitFor(messaging).WaitFor(payments).WaitFor(mail)
    .WithHttpHealthCheck("/health")
    .WithReplicas(builder.Replicas("worker", 2));

var web = builder.AddProject<Projects.Shop_Web>("web")
    .WithReference(api).WithReference(cache).WithReference(messaging)
    .WaitFor(api)
    .WithHttpHealthCheck("/health")
    .WithExternalHttpEndpoints();

// The operator's dashboards and alerts (Prometheus, history kept across runs). A deployment
// gets Azure Monitor from azd instead, so the manifest leaves it out.
if (builder.ExecutionContext.IsRunMode)
{
    builder.AddMonitoring("monitoring", api, worker, web, payments);
}

builder.AddResourceTable();

builder.Build().Run();
