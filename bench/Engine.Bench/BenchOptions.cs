using System.Globalization;

namespace BackpropService.Engine.Bench;

/// <summary>Command-line settings, named as in the reference benches (<c>--part --threads --seed --epochs</c>).</summary>
internal sealed record BenchOptions(string Part, int Threads, int Seed, int Epochs, bool Smoke, string? DataDirectory)
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
            Get(args, "--data"));
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
