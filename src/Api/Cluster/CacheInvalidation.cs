using BackpropService.Api.Access;
using BackpropService.Api.Models;

namespace BackpropService.Api.Cluster;

/// <summary>
/// The rule "what changed → who must forget it" for changes another process made: a key change empties the key cache
/// (revocation holds on the next request), a model change drops the model's name, its <c>name@…</c> entries and the
/// changed id from the model cache (a moved alias or a new version is read on the next request).
/// </summary>
public sealed class CacheInvalidation(ApiKeyStore keys, ModelCache models)
{
    public void Forget(StateChange change)
    {
        switch (change)
        {
            case ApiKeysChanged:
                keys.Invalidate();
                break;
            case ModelsChanged model:
                models.Invalidate(model.Name, model.ModelId);
                break;
        }
    }

    /// <summary>Forgets everything held: after the channel was down, changes may have gone unheard.</summary>
    public void ForgetEverything()
    {
        keys.Invalidate();
        models.InvalidateAll();
    }
}
