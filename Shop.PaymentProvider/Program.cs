// A stand-in for an external card payment provider (think Stripe): the worker talks to it over
// HTTP exactly as it would to the real one. Its failures are switchable at run time so tests and
// demos can show what the shop does when the provider misbehaves.
var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddNpgsqlDataSource("paymentsdb");

builder.AddCharges();
builder.AddProviderBehaviour();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapChargesApi();
app.MapProviderBehaviourApi();

app.Run();
