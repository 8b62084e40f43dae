using Shop.Web.Accounts;
using Shop.Web.Cart;
using Shop.Web.Catalog;
using Shop.Web.Orders;

namespace Shop.Web.Api;

public static class ApiClientExtensions
{
    /// <summary>
    /// "api" is the AppHost's name for Shop.Api; service discovery turns it into the address
    /// from configuration (services:api:https:0, else services:api:http:0), and the
    /// ServiceDefaults' standard resilience handler retries transient failures.
    /// </summary>
    public const string ApiBaseAddress = "https+http://api";

    public static IHostApplicationBuilder AddShopApiClients(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddTransient<AccessTokenHandler>();
        builder.Services.AddTransient<ForwardedForHandler>();
        builder.Services.RetryOnlyRepeatableRequests();

        Add<CatalogApiClient>(builder.Services);
        Add<UsersApiClient>(builder.Services);
        Add<CartApiClient>(builder.Services);
        Add<OrdersApiClient>(builder.Services);
        return builder;
    }

    private static void Add<TClient>(IServiceCollection services) where TClient : class =>
        services.AddHttpClient<TClient>(client => client.BaseAddress = new Uri(ApiBaseAddress))
            .AddHttpMessageHandler<AccessTokenHandler>()
            .AddHttpMessageHandler<ForwardedForHandler>();
}
