namespace BackpropService.Api.OpenApi;

/// <summary>Endpoint builder helpers that attach Swagger documentation.</summary>
public static class OpenApiExtensions
{
    public static RouteHandlerBuilder WithJsonExamples(this RouteHandlerBuilder builder, params RequestExample[] examples) =>
        builder.WithMetadata(new RequestExamples("application/json", examples));

    public static RouteHandlerBuilder WithMultipartForm(this RouteHandlerBuilder builder, params FormField[] fields) =>
        builder.WithMetadata(new MultipartForm(fields));
}
