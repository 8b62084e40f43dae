var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddNpgsqlDataSource("shopdb");
builder.AddRedisClient("cache");
builder.AddRabbitMQClient("messaging");

builder.AddProblemResponses();
builder.AddDatabaseMigrations();
builder.AddUsers();
builder.AddEventPublishing();
builder.AddCatalog();
builder.AddCatalogActivity();

var app = builder.Build();

app.UseProblemResponses();
app.MapDefaultEndpoints();
app.MapUsersApi();
app.MapCatalogApi();
app.MapCatalogActivityApi();

app.Run();
