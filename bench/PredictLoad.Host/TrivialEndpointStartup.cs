using BackpropService.Contracts;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace BackpropService.Bench.PredictLoadHost;

/// <summary>
/// Adds <c>POST /bench/trivial</c>, the reference of bench/predict-load.sh: it binds the same JSON body as
/// <c>/predict</c> through the framework's minimal-API binder (with the service's JSON options) and answers 10
/// floats (strided sums of the first row), like ../shared/reference-bench's PredictServer. A routed endpoint in
/// front of the service's pipeline (the service's routing would answer 405 for a path it does not know on
/// POST), so it pays for Kestrel, routing and the binder, not for the service's own middleware: a slightly
/// cheaper reference than before, which makes the JSON/trivial ratio stricter, not looser.
/// </summary>
public sealed class TrivialEndpointStartup : IHostingStartup
{
    public const string Path = "/bench/trivial";

    public void Configure(IWebHostBuilder builder) =>
        builder.ConfigureServices(services => services.AddTransient<IStartupFilter, TrivialEndpointFilter>());

    private sealed class TrivialEndpointFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            // Routing set up before the service's own (WebApplication supports this for startup filters):
            // a request this endpoint does not match goes on to the service unchanged.
            app.UseRouting();
            app.UseEndpoints(endpoints => endpoints.MapPost(Path, Trivial));
            next(app);
        };
    }

    private static Results<Ok<float[]>, BadRequest> Trivial([FromBody] PredictRequest request)
    {
        if (request.Inputs is not { Count: > 0 } inputs || inputs[0] is not { } row) return TypedResults.BadRequest();
        var sums = new float[10];
        for (int i = 0; i < row.Length; i++) sums[i % 10] += row[i];
        return TypedResults.Ok(sums);
    }
}
