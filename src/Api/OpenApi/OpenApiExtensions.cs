using BackpropService.Contracts;

namespace BackpropService.Api.OpenApi;

/// <summary>Endpoint builder helpers that attach Swagger documentation.</summary>
public static class OpenApiExtensions
{
    public static RouteHandlerBuilder WithJsonExamples(this RouteHandlerBuilder builder, params RequestExample[] examples) =>
        builder.WithMetadata(new RequestExamples("application/json", examples));

    /// <summary>
    /// The answers the framework gives before the handler runs, for an endpoint that binds a JSON body: 400 when
    /// the body cannot be read (BadRequestExceptionHandler names the field), 413 past Limits:MaxJsonBytes, 415
    /// when it is not JSON. All are problem details.
    /// </summary>
    public static RouteHandlerBuilder ProducesJsonBodyProblems(this RouteHandlerBuilder builder) => builder
        .ProducesValidationProblem()
        .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
        .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

    /// <summary>Documents the query parameter <paramref name="name"/> as one of <typeparamref name="TEnum"/>'s wire names.</summary>
    public static RouteHandlerBuilder WithEnumQueryParameter<TEnum>(this RouteHandlerBuilder builder, string name, TEnum defaultValue, string description)
        where TEnum : struct, Enum =>
        builder.WithMetadata(new EnumQueryParameter(name, typeof(TEnum), WireName.Of(defaultValue), description));

    public static RouteHandlerBuilder WithMultipartForm(this RouteHandlerBuilder builder, params FormField[] fields) =>
        builder.WithMetadata(new MultipartForm(fields));
}
