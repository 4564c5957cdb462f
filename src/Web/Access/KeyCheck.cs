namespace BackpropService.Web.Access;

/// <summary>The answer to "may this key sign in now?": the key, or why not (unknown, expired, revoked).</summary>
public sealed record KeyCheck(VerifiedKey? Key, string? Problem)
{
    public static KeyCheck Refused(string problem) => new(null, problem);
}
