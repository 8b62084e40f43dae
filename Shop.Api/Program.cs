var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddNpgsqlDataSource("shopdb");
builder.AddRedisClient("cache");
builder.AddRabbitMQClient("messaging");

builder.AddProblemResponses();
builder.AddApiDocs();
builder.AddDatabaseMigrations();
builder.AddUsers();
builder.AddEventPublishing();
builder.AddCaching();
builder.AddRateLimiting();
builder.AddCatalog();
builder.AddCatalogActivity();
builder.AddCart();
builder.AddOrders();
builder.AddIdempotency();

var app = builder.Build();

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
app.MapCartApi();
app.MapOrdersApi();

app.Run();
