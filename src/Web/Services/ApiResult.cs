namespace BackpropService.Web.Services;

/// <summary>Either the API's answer or its problem details.</summary>
public sealed record ApiResult<T>(T? Value, ApiProblem? Problem)
{
    public bool Succeeded => Problem is null;
}
