var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddPooledNpgsqlDataSource("shopdb");
builder.AddRabbitMQClient("messaging");
builder.AddRabbitMqConnectionProvider();
builder.AddAdminAccess();

builder.AddMessageConsumers();
builder.AddCatalogActivityRecorder();
builder.AddPayments();
builder.AddConfirmationEmails();
builder.AddOrderAnalytics();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapConsumerAdminApi();
app.MapPaymentsAdminApi();

app.Run();
