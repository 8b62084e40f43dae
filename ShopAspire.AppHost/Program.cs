using ShopAspire.Hosting;

var builder = DistributedApplication.CreateBuilder(args);

var postgres = builder.AddPostgres("postgres").WithDataVolume();
var shopdb = postgres.AddDatabase("shopdb");
var cache = builder.AddRedis("cache").WithDataVolume();
var messaging = builder.AddRabbitMQ("messaging").WithManagementPlugin().WithDataVolume();

var api = builder.AddProject<Projects.Shop_Api>("api")
    .WithReference(shopdb).WithReference(cache).WithReference(messaging)
    .WaitFor(shopdb).WaitFor(cache).WaitFor(messaging);

builder.AddProject<Projects.Shop_Worker>("worker")
    .WithReference(shopdb).WithReference(messaging)
    .WaitFor(api).WaitFor(messaging);

builder.AddProject<Projects.Shop_Web>("web")
    .WithReference(api).WithReference(cache)
    .WaitFor(api)
    .WithExternalHttpEndpoints();

builder.Build().Run();
