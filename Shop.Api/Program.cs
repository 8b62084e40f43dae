var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddNpgsqlDataSource("shopdb");
builder.AddRedisClient("cache");
builder.AddRabbitMQClient("messaging");

builder.AddProblemResponses();
builder.AddDatabaseMigrations();
builder.AddEventPublishing();
builder.AddOutboxRelay();
builder.AddCatalog();
builder.AddCatalogActivity();

var app = builder.Build();

app.UseProblemResponses();
app.MapDefaultEndpoints();
app.MapCatalogApi();
app.MapCatalogActivityApi();
app.MapOutboxAdminApi();
app.MapOrderAnalyticsApi();

app.Run();
