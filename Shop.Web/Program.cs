using Shop.Web.Accounts;
using Shop.Web.Api;
using Shop.Web.Cart;
using Shop.Web.Catalog;
using Shop.Web.Components;
using Shop.Web.Features;
using Shop.Web.Orders;
using Shop.Web.Security;
using ShopAspire.ClientInput;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddConnectionDraining();
builder.AddShopApiClients();
builder.AddShopperAuthentication();
builder.AddLiveOrderStatus();
builder.AddStorefrontFeatureFlags();
builder.Services.AddRazorComponents().AddInteractiveServerComponents();

// Static web assets (fingerprinted, precompressed) are served from build output only in
// Development by default; the AppHost or tests may run us from build output in any
// environment. Once published the assets sit in wwwroot and this is a no-op.
builder.WebHost.UseStaticWebAssets();

var app = builder.Build();

// First: the shopper's address and scheme as a trusted proxy forwarded them (HSTS over TLS).
app.UseForwardedHeaders();
app.UseSecurityHeaders();

// In every environment, Development included: shoppers (and the browser tests) must never see
// a stack trace. Details are in the logs and traces, found by the request id the page shows.
app.UseExceptionHandler("/error", createScopeForErrors: true);
app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
// Query strings, route values and form posts with text nothing here could use (NUL and other
// control characters, broken UTF-8 or UTF-16): 400 naming the field, before any page or API call.
app.UseClientTextGuard();

app.UseVisitorId();
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();

app.MapStaticAssets();
app.MapProductImages();
app.MapCartForms();
app.MapAdminProductForms();
app.MapSignOut();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
app.MapDefaultEndpoints();

app.Run();
