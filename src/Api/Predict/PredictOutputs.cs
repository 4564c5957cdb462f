using System.Buffers;
using BackpropService.Api.Models;

namespace BackpropService.Api.Predict;

/// <summary>
/// The model's outputs for every row of a request, computed before any byte of the answer is written (so that both
/// formats refuse the same inputs the same way), stored flat in a pooled buffer. Dispose returns it.
/// </summary>
public sealed class PredictOutputs : IDisposable
{
    private float[] _values;

    private PredictOutputs(int rows, int width)
    {
        Rows = rows;
        Width = width;
        _values = ArrayPool<float>.Shared.Rent(Math.Max(1, checked(rows * width)));
    }

    public int Rows { get; }

    /// <summary>Outputs per row (the model's output layer).</summary>
    public int Width { get; }

    public ReadOnlySpan<float> Row(int row) => _values.AsSpan(row * Width, Width);

    /// <summary>
    /// Runs <paramref name="model"/> on every row. Checks <paramref name="cancellationToken"/> before each row, so a
    /// request past its timeout stops computing within one row.
    /// </summary>
    /// <exception cref="NonFiniteOutputException">An output is NaN or infinite.</exception>
    /// <exception cref="OperationCanceledException">The token fired.</exception>
    public static PredictOutputs Compute(LoadedModel model, PredictRows rows, CancellationToken cancellationToken)
    {
        var outputs = new PredictOutputs(rows.Count, model.Outputs);
        try
        {
            for (int row = 0; row < rows.Count; row++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var answer = outputs._values.AsSpan(row * outputs.Width, outputs.Width);
                model.Model.Predict(rows.Row(row), answer);
                for (int i = 0; i < answer.Length; i++)
                {
                    if (!float.IsFinite(answer[i])) throw new NonFiniteOutputException(row, i, answer[i]);
                }
            }
            return outputs;
        }
        catch
        {
            outputs.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        if (_values.Length > 0) ArrayPool<float>.Shared.Return(_values);
        _values = [];
    }
}
