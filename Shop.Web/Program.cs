using Shop.Web.Catalog;
using Shop.Web.Components;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddCatalogApiClient();
builder.Services.AddRazorComponents();

// Static web assets (fingerprinted, precompressed) are served from build output only in
// Development by default; the AppHost or tests may run us from build output in any
// environment. Once published the assets sit in wwwroot and this is a no-op.
builder.WebHost.UseStaticWebAssets();

var app = builder.Build();

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/error", createScopeForErrors: true);
}

app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
app.UseAntiforgery();

app.MapStaticAssets();
app.MapRazorComponents<App>();
app.MapDefaultEndpoints();

app.Run();
