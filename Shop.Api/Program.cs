var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddConnectionDraining();
builder.AddPooledNpgsqlDataSource("shopdb");
builder.AddRedisClient("cache");
builder.AddRabbitMQClient("messaging");
builder.AddRabbitMqConnectionProvider();
// Readiness (docs/running.md, "What each service needs"): nothing is served without Postgres
// (and its migrations), so it stays required. Redis down costs the L2 cache (reads fall back
// to Postgres), rate-limit counters (sign-in limits fall back to per-replica counters) and
// carts (their endpoints answer 503 themselves); RabbitMQ down only delays events (the outbox
// keeps them). Either makes /health Degraded: still 200, still routed to.
builder.AddOptionalDependencies(DefaultHealthCheckExtensions.RedisCheckName, DefaultHealthCheckExtensions.RabbitMQCheckName);

builder.AddProblemResponses();
builder.AddApiDocs();
builder.AddDatabaseMigrations();
builder.AddUsers();
builder.AddOutboxRelay();
builder.AddCaching();
builder.AddRateLimiting();
builder.AddCatalog();
builder.AddDemoCatalog();
builder.AddCatalogActivity();
builder.AddCart();
builder.AddOrders();
builder.AddIdempotency();
builder.AddBusinessMetrics();

var app = builder.Build();

// First: the client's address (rate limits, sign-in limits) as a trusted proxy forwarded it.
app.UseForwardedHeaders();
app.UseProblemResponses();
app.UseAuthentication();
app.UseRateLimiting();
app.UseAuthorization();
app.UseIdempotencyKeys();
app.MapDefaultEndpoints();
app.MapApiDocs();
app.MapUsersApi();
app.MapCatalogApi();
app.MapCatalogActivityApi();
app.MapOutboxAdminApi().RequireAuthorization(AuthPolicies.Admin);
app.MapOrderAnalyticsApi().RequireAuthorization(AuthPolicies.Admin);
app.MapCartApi();
app.MapOrdersApi();

app.Run();
