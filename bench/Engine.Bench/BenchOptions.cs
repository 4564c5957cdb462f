using System.Globalization;

namespace BackpropService.Engine.Bench;

/// <summary>
/// Command-line settings, named as in the reference benches (<c>--part --threads --seed --epochs</c>); <c>--avx2</c>
/// keeps the engine's float products on their AVX2 kernels where the processor has AVX-512 (<see cref="LinearAlgebra.Gemm.AllowAvx512"/>).
/// </summary>
internal sealed record BenchOptions(string Part, int Threads, int Seed, int Epochs, bool Smoke, string? DataDirectory, bool Avx2)
{
    public static BenchOptions Parse(string[] args)
    {
        bool smoke = args.Contains("--smoke");
        return new BenchOptions(
            Get(args, "--part") ?? "all",
            GetInt(args, "--threads", 1),
            GetInt(args, "--seed", 1),
            GetInt(args, "--epochs", smoke ? 2 : 10),
            smoke,
            Get(args, "--data"),
            args.Contains("--avx2"));
    }

    public bool Wants(string part) => Part == "all" || Part == part;

    private static string? Get(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static int GetInt(string[] args, string name, int fallback) =>
        int.TryParse(Get(args, name), NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) ? value : fallback;
}
