using BackpropService.Api.Models;

namespace BackpropService.Api.Tests.Predict;

/// <summary>How the text after a model name's last '@' is read.</summary>
public sealed class ModelReferenceTests
{
    [Theory]
    [InlineData("net@3", "net", null, 3)]
    [InlineData("net@prod", "net", "prod", null)]
    [InlineData("net@canary-2_b", "net", "canary-2_b", null)]
    [InlineData("team@eu@prod", "team@eu", "prod", null)]
    [InlineData("team@eu@12", "team@eu", null, 12)]
    public void A_number_after_the_last_at_sign_is_a_version_and_a_word_an_alias(string text, string name, string? alias, int? version) =>
        Assert.Equal(new ModelReference(name, alias, version), ModelReference.TryParse(text));

    [Theory]
    [InlineData("net")]
    [InlineData("net@")]
    [InlineData("@prod")]
    [InlineData("net@0")]
    [InlineData("net@-1")]
    [InlineData("net@3x")]
    [InlineData("net@pro d")]
    [InlineData("net@prod\n")]
    [InlineData("net@_prod")]
    public void Anything_else_is_only_an_id_or_a_plain_name(string text) => Assert.Null(ModelReference.TryParse(text));

    [Fact]
    public void An_alias_has_at_most_64_characters_and_never_reads_as_a_number()
    {
        Assert.True(ModelReference.IsAliasName("a" + new string('1', 63)));
        Assert.False(ModelReference.IsAliasName("a" + new string('1', 64)));
        Assert.False(ModelReference.IsAliasName("3"));
        Assert.False(ModelReference.IsAliasName(""));
    }
}
