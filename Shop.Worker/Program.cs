var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddNpgsqlDataSource("shopdb");
builder.AddRabbitMQClient("messaging");

builder.AddCatalogActivityRecorder();

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();
