using BackpropService.Api.Access;
using System.Buffers;
using System.Diagnostics;
using BackpropService.Api.Http;
using BackpropService.Api.Models;
using BackpropService.Api.Observability;
using BackpropService.Api.OpenApi;
using BackpropService.Api.Persistence;
using BackpropService.Api.Options;
using BackpropService.Api.Predict;
using BackpropService.Api.Validation;
using BackpropService.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BackpropService.Api.Apis;

/// <summary>
/// <c>POST /predict</c> (and <c>POST /api/models/{id}/predict</c>): what other services call. The model is
/// named by id, by name for its latest version, or by <c>name@alias</c> / <c>name@version</c>
/// (<see cref="ModelReference"/>), and comes from <see cref="ModelCache"/> (no database on a hit). The body
/// is JSON, or the compact binary <see cref="BinaryPredictFormat"/>; the answer follows <c>Accept</c>, else
/// the request's format. Both are read and written by hand: no array per row, no
/// response objects.
/// </summary>
public static class PredictApi
{
    public const string Description =
        "Runs a model on a batch of inputs. The model is an id, a name for its latest version, `name@alias` (the version "
        + "the alias points to; see /api/models/{name}/aliases) or `name@version`.\n\n"
        + "**JSON** (`Content-Type: application/json`): `{ \"model\": \"<id, name, name@alias or name@version>\", \"inputs\": [[...], ...] }` → "
        + "`{ modelId, predictions: [ { outputs, class, label } ] }` (`class`/`label` for classifiers only).\n\n"
        + "**Binary** (`Content-Type: application/x-float32`, also `application/octet-stream`), little-endian:\n\n"
        + "| offset | size | request | response |\n|---|---|---|---|\n"
        + "| 0 | 4 | magic `BPF1` (42 50 46 31) | magic `BPF1` |\n"
        + "| 4 | 4 | uint32 rows (1 … Limits:MaxPredictRows) | uint32 rows |\n"
        + "| 8 | 4 | uint32 columns (= the model's inputs) | uint32 outputs |\n"
        + "| 12 | 2 | uint16 n = model id/name bytes (0: the route's id or `?model=`) | uint16 n = model id bytes |\n"
        + "| 14 | 2 | uint16 flags = 0 | uint16 flags: bit 0 = class indices follow |\n"
        + "| 16 | n | model id or name, UTF-8 | id of the version that answered, UTF-8 |\n"
        + "| 16+n | | rows × columns float32, row by row | rows × outputs float32, then rows × int32 class index (classifiers) |\n\n"
        + "The answer is binary when `Accept` names `application/x-float32` (or `application/octet-stream`), JSON when it "
        + "names JSON, else in the request's format. Errors are always problem details (JSON) naming the field: "
        + "`inputs[i]` or `columns` for a wrong width, `rows` or `inputs` for too many rows, `inputs[i][j]` for a value "
        + "that is not a finite number, `body` for a truncated or foreign body; an unknown model is 404 naming `id` "
        + "(`model` for an unknown alias or version in the body), saying which aliases or versions the name has.\n\n"
        + "An output that is not a finite number (NaN or ±∞: an input so large that the network's 32-bit arithmetic "
        + "overflows) is never sent: the request gets 422 naming the row (`inputs[i]`), in both formats.\n\n"
        + "Limits (section `Limits:Predict`): requests per API key (`PermitsPerSecond`, `Burst`) → 429 with `Retry-After`; "
        + "predictions computed at once (`Concurrency`, `QueueLength`) → 503 with `Retry-After`; time per request "
        + "(`TimeoutSeconds`) → 504.";

    public static RequestExample XorExample { get; } = new("xor", "The four XOR corners, for a model trained on the xor set",
        new PredictRequest("xor", [[-1f, -1f], [-1f, 1f], [1f, -1f], [1f, 1f]]));

    public static IEndpointRouteBuilder MapPredictApi(this IEndpointRouteBuilder app)
    {
        // As a Delegate (not a RequestDelegate), so that the API explorer and Swagger see the method and its attributes.
        app.MapPost("/predict", (Func<HttpContext, Task>)Predict).RequireAuthorization(AccessPolicies.Predict)
            .WithTags("Predict")
            .WithSummary("Runs a model (id, name for its latest version, name@alias or name@version) on a batch of inputs; JSON or binary.")
            .WithPredictContract();
        return app;
    }

    /// <summary>What both predict routes take and answer (JSON or binary), for the OpenAPI document, and the limits they run under.</summary>
    public static RouteHandlerBuilder WithPredictContract(this RouteHandlerBuilder endpoint)
    {
        endpoint.RequireRateLimiting(PredictLimits.RatePolicy).WithRequestTimeout(PredictLimits.TimeoutPolicy);
        return endpoint.WithDescription(Description)
            .Accepts<PredictRequest>("application/json", BinaryPredictFormat.MediaType, BinaryPredictFormat.OctetStream)
            .Produces<PredictResponse>(StatusCodes.Status200OK, "application/json", BinaryPredictFormat.MediaType)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .ProducesProblem(StatusCodes.Status504GatewayTimeout)
            .WithJsonExamples(XorExample);
    }

    public static Task Predict(HttpContext context) => RunAsync(context, routeModel: null);

    public static Task PredictWithModel(string id, HttpContext context) => RunAsync(context, routeModel: id);

    private static async Task RunAsync(HttpContext context, string? routeModel)
    {
        long started = Stopwatch.GetTimestamp();
        using var span = BackpropActivities.Source.StartActivity("predict");
        var request = context.Request;
        var services = context.RequestServices;
        var limits = services.GetRequiredService<IOptions<ServiceLimits>>().Value;
        var cancellationToken = context.RequestAborted;

        bool? binary = IsBinary(request.ContentType);
        if (binary is null)
        {
            await ApiProblems.UnsupportedMediaType(
                $"Send the body as application/json, or as {BinaryPredictFormat.MediaType} (the binary format in the API description); got '{request.ContentType}'.")
                .ExecuteAsync(context);
            return;
        }

        PredictRows? rows = null;
        try
        {
            string? model;
            int rowCount;
            using (var body = await RequestBody.ReadAsync(request, limits.MaxJsonBytes, cancellationToken))
            {
                if (binary.Value)
                {
                    (model, rows) = BinaryPredictFormat.Read(body.Span, limits.MaxPredictRows);
                    rowCount = rows.Count;
                    if (model is null && request.Query.TryGetValue("model", out var query)) model = query.ToString();
                }
                else
                {
                    if (body.Length == 0) throw new PredictInputException("body", "The request needs a JSON body.");
                    (model, rows, rowCount) = PredictJsonReader.Read(body.Span, limits.MaxPredictRows);
                }
            }
            model = routeModel ?? model;
            if (string.IsNullOrWhiteSpace(model))
            {
                await TypedResults.ValidationProblem(ValidationErrors.One("model", binary.Value
                    ? "Required: a model id or name, in the header, the route (/api/models/{id}/predict) or ?model=."
                    : "Required: a model id, a model name (its latest version), name@alias or name@version.")).ExecuteAsync(context);
                return;
            }

            var cache = services.GetRequiredService<ModelCache>();
            var loaded = await cache.ResolveAsync(model, cancellationToken);
            if (loaded is null)
            {
                await (await ModelNotFoundAsync(services, model, fromRoute: routeModel is not null, cancellationToken)).ExecuteAsync(context);
                return;
            }
            if (Validate(loaded, rows, rowCount, limits.MaxPredictRows, binary.Value) is { } errors)
            {
                await TypedResults.ValidationProblem(errors).ExecuteAsync(context);
                return;
            }

            var response = context.Response;
            // The compute holds a slot (PredictComputeLimiter); the body has arrived by now, and the answer is flushed
            // to the network after the slot is given back, so slow clients never hold one.
            var computeLimiter = services.GetRequiredService<PredictComputeLimiter>();
            using (var slot = await computeLimiter.AcquireAsync(cancellationToken))
            {
                if (!slot.IsAcquired)
                {
                    await RateLimitRejection.WriteAsync(context, slot, computeLimiter.Description);
                    return;
                }
                using var outputs = PredictOutputs.Compute(loaded, rows!, cancellationToken);
                if (WantsBinary(request, binary.Value))
                {
                    response.ContentType = BinaryPredictFormat.MediaType;
                    response.ContentLength = PredictResponseWriter.BinaryLength(loaded, outputs.Rows);
                    PredictResponseWriter.WriteBinary(response.BodyWriter, loaded, outputs);
                }
                else
                {
                    var json = PredictResponseWriter.WriteJson(loaded, outputs);
                    response.ContentType = "application/json; charset=utf-8";
                    response.ContentLength = json.Length;
                    response.BodyWriter.Write(json.Span); // copied now: the buffer is the thread's
                }
            }
            // Counted before the flush, so a client that has its answer finds the call in /metrics.
            services.GetRequiredService<BackpropMetrics>().RecordPredict(Stopwatch.GetElapsedTime(started), rowCount, binary.Value ? "binary" : "json");
            span?.SetTag("model.id", loaded.Id);
            span?.SetTag("predict.rows", rowCount);
            await response.BodyWriter.FlushAsync(cancellationToken);
        }
        catch (PredictInputException e)
        {
            await TypedResults.ValidationProblem(ValidationErrors.One(e.Field, e.Message), detail: $"{e.Field}: {e.Message}",
                title: "The request could not be read.").ExecuteAsync(context);
        }
        catch (NonFiniteOutputException e)
        {
            string message = $"The model's output {e.Output} for this row is {NonFinite(e.Value)}, not a finite number: the input "
                + "is beyond what the network can compute in 32-bit floats. Check the input's scale (the units the model was trained on).";
            await TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "The model cannot answer this input.",
                detail: $"{e.Field}: {message}", extensions: new Dictionary<string, object?> { ["errors"] = ValidationErrors.One(e.Field, message) })
                .ExecuteAsync(context);
        }
        catch (RequestBodyTooLargeException e)
        {
            const string field = "body";
            string message = $"The request body is larger than the limit of {e.Limit:N0} bytes (Limits:MaxJsonBytes); split it.";
            await TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "The request is too large.",
                detail: $"{field}: {message}", extensions: new Dictionary<string, object?> { ["errors"] = ValidationErrors.One(field, message) })
                .ExecuteAsync(context);
        }
        finally
        {
            rows?.Dispose();
        }
    }

    /// <summary>
    /// 404 saying which aliases or versions the name has. It names <c>id</c> for the route's model and for an unknown
    /// id or name (as always), <c>model</c> for a <c>name@alias</c> or <c>name@version</c> in the body.
    /// </summary>
    private static async Task<IResult> ModelNotFoundAsync(IServiceProvider services, string model, bool fromRoute, CancellationToken cancellationToken)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<BackpropDbContext>>().CreateDbContextAsync(cancellationToken);
        string detail = await ModelStore.ExplainMissingAsync(db, model, cancellationToken);
        return ApiProblems.NotFound("Model", fromRoute || ModelReference.TryParse(model) is null ? "id" : "model", detail);
    }

    /// <summary>The same checks, messages and order as the JSON contract has always had.</summary>
    private static Dictionary<string, string[]>? Validate(LoadedModel model, PredictRows? rows, int rowCount, int maxRows, bool binary)
    {
        if (rows is null || rowCount == 0)
            return ValidationErrors.One("inputs", $"Required: one or more rows of {model.Inputs} numbers.");
        if (rowCount > maxRows)
            return ValidationErrors.One("inputs", $"At most {maxRows} rows per request, got {rowCount}; split the batch.");
        if (binary && rows.Width(0) != model.Inputs)
            return ValidationErrors.One("columns", $"Expected {model.Inputs} columns (the model's inputs), got {rows.Width(0)}.");
        var (badRow, badColumn) = rows.FirstNonFinite;
        for (int i = 0; i < rows.Count; i++)
        {
            if (rows.IsMissing(i))
                return ValidationErrors.One($"inputs[{i}]", $"The row is missing; expected {model.Inputs} numbers.");
            if (rows.Width(i) != model.Inputs)
                return ValidationErrors.One($"inputs[{i}]", $"Expected {model.Inputs} values (the model's inputs), got {rows.Width(i)}.");
            if (i == badRow)
                return ValidationErrors.One($"inputs[{i}][{badColumn}]", "Values must be finite numbers.");
        }
        return null;
    }

    private static string NonFinite(float value) => float.IsNaN(value) ? "NaN" : value > 0 ? "+Infinity" : "-Infinity";

    /// <summary>JSON (<c>application/json</c>, <c>*+json</c>), binary, or null for anything else.</summary>
    private static bool? IsBinary(string? contentType)
    {
        if (contentType is null) return null;
        var media = contentType.AsSpan();
        int parameters = media.IndexOf(';');
        if (parameters >= 0) media = media[..parameters];
        media = media.Trim();
        if (media.Equals("application/json", StringComparison.OrdinalIgnoreCase) || media.EndsWith("+json", StringComparison.OrdinalIgnoreCase))
            return false;
        if (media.Equals(BinaryPredictFormat.MediaType, StringComparison.OrdinalIgnoreCase)
            || media.Equals(BinaryPredictFormat.OctetStream, StringComparison.OrdinalIgnoreCase))
            return true;
        return null;
    }

    /// <summary>Binary when Accept names the binary types, JSON when it names JSON, else the request's format.</summary>
    private static bool WantsBinary(HttpRequest request, bool binaryRequest)
    {
        foreach (var accept in request.Headers.Accept)
        {
            if (accept is null) continue;
            if (accept.Contains(BinaryPredictFormat.MediaType, StringComparison.OrdinalIgnoreCase)
                || accept.Contains(BinaryPredictFormat.OctetStream, StringComparison.OrdinalIgnoreCase))
                return true;
            if (accept.Contains("json", StringComparison.OrdinalIgnoreCase)) return false;
        }
        return binaryRequest;
    }
}
