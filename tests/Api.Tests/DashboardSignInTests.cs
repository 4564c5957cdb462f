using BackpropService.Contracts;
using BackpropService.Web.Access;

namespace BackpropService.Api.Tests;

/// <summary>Where the dashboard sends a person after signing in: back where they were, never to another site.</summary>
public sealed class DashboardSignInTests
{
    private static readonly VerifiedKey TrainKey = new("k1", "trainer", [ApiKeyScope.Train]);
    private static readonly VerifiedKey PredictKey = new("k2", "service", [ApiKeyScope.Predict]);

    [Theory]
    [InlineData("/jobs/abc", "/jobs/abc")]
    [InlineData("/datasets?x=1", "/datasets?x=1")]
    [InlineData(null, "/")]
    [InlineData("", "/")]
    [InlineData("//evil.example/phish", "/")]
    [InlineData("/\\evil.example", "/")]
    [InlineData("https://evil.example/", "/")]
    [InlineData("javascript:alert(1)", "/")]
    public void A_train_key_goes_back_to_a_path_on_this_site_and_nowhere_else(string? returnUrl, string expected) =>
        Assert.Equal(expected, DashboardSignIn.Landing(TrainKey, returnUrl));

    [Fact]
    public void A_predict_only_key_starts_at_the_models_unless_it_asked_for_a_page()
    {
        Assert.Equal("/models", DashboardSignIn.Landing(PredictKey, null));
        Assert.Equal("/models", DashboardSignIn.Landing(PredictKey, "/"));
        Assert.Equal("/models/m1", DashboardSignIn.Landing(PredictKey, "/models/m1"));
    }
}
