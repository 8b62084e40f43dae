using Microsoft.AspNetCore.Http.HttpResults;

namespace Shop.PaymentProvider.Behaviour;

public static class ProviderBehaviourExtensions
{
    public static IHostApplicationBuilder AddProviderBehaviour(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ProviderBehaviourState>();
        return builder;
    }

    /// <summary>GET/PUT /admin/behaviour: what tests and demos use to make the provider fail, stall, lag or decline.</summary>
    public static WebApplication MapProviderBehaviourApi(this WebApplication app)
    {
        app.MapGet("/admin/behaviour", (ProviderBehaviourState state) => TypedResults.Ok(state.Current));
        app.MapPut("/admin/behaviour", Results<Ok<ProviderBehaviour>, ValidationProblem> (ProviderBehaviour behaviour, ProviderBehaviourState state) =>
        {
            var errors = behaviour.Validate().ToDictionary(e => e.Field, e => new[] { e.Error });
            if (errors.Count > 0)
            {
                return TypedResults.ValidationProblem(errors);
            }
            state.Set(behaviour);
            return TypedResults.Ok(behaviour);
        });
        return app;
    }
}
