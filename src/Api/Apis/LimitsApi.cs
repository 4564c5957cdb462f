using BackpropService.Api.Options;
using BackpropService.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace BackpropService.Api.Apis;

/// <summary><c>/api/limits</c>: the request sizes the service accepts, read from its configuration.</summary>
public static class LimitsApi
{
    public static IEndpointRouteBuilder MapLimitsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/limits", GetLimits).WithTags("Limits")
            .WithSummary("How large a request the service accepts: upload and JSON body sizes in bytes, rows per predict request.");
        // Any valid key may read them (the fallback policy): a predict-only caller sizes its batches with them too.
        return app;
    }

    public static Ok<RequestLimits> GetLimits(IOptions<ServiceLimits> limits) =>
        TypedResults.Ok(new RequestLimits(limits.Value.MaxUploadBytes, limits.Value.MaxJsonBytes, limits.Value.MaxPredictRows));
}
