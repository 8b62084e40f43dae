using ShopAspire.Hosting;

var builder = DistributedApplication.CreateBuilder(args);

var postgres = builder.AddPostgres("postgres").WithDataVolume();
var shopdb = postgres.AddDatabase("shopdb");
var paymentsdb = postgres.AddDatabase("paymentsdb");
var cache = builder.AddRedis("cache").WithDataVolume();
var messaging = builder.AddRabbitMQ("messaging").WithManagementPlugin().WithDataVolume();

// Generated once per developer stack (kept with its data), fresh for every test stack.
var jwtSigningKey = builder.AddGeneratedParameter("jwt-signing-key", length: 48);
var adminPassword = builder.AddGeneratedParameter("admin-password", length: 20);

var api = builder.AddProject<Projects.Shop_Api>("api")
    .WithReference(shopdb).WithReference(cache).WithReference(messaging)
    .WithEnvironment("Auth__SigningKey", jwtSigningKey)
    .WithEnvironment("Auth__Admin__Email", "admin@shopaspire.local")
    .WithEnvironment("Auth__Admin__Password", adminPassword)
    .WaitFor(shopdb).WaitFor(cache).WaitFor(messaging);

// Stand-ins for the outside world: a card payment provider and a mail server with an inbox page.
var payments = builder.AddProject<Projects.Shop_PaymentProvider>("payments")
    .WithReference(paymentsdb)
    .WaitFor(paymentsdb);
var mail = builder.AddProject<Projects.Shop_MailSink>("mail")
    .WithEndpoint("smtp", "smtp", env: "MailSink__SmtpPort")
    .WithEndpointConnectionString("smtp");

builder.AddProject<Projects.Shop_Worker>("worker")
    .WithReference(shopdb).WithReference(messaging)
    .WithReference(payments).WithReference(mail)
    .WithEnvironment("Auth__SigningKey", jwtSigningKey) // checks the API's admin tokens on its operations endpoints
    .WaitFor(api).WaitFor(messaging).WaitFor(payments).WaitFor(mail);

builder.AddProject<Projects.Shop_Web>("web")
    .WithReference(api).WithReference(cache).WithReference(messaging)
    .WaitFor(api)
    .WithExternalHttpEndpoints();

builder.Build().Run();
