namespace BackpropService.Engine.Randomness;

/// <summary>
/// A small, fast pseudo-random generator (xoshiro256**, seeded through SplitMix64) whose whole state is
/// four integers. Unlike <see cref="System.Random"/> its state can be saved and restored, which is what
/// makes a training run resumed from a checkpoint bit-identical to an uninterrupted one.
/// </summary>
public sealed class SeededRandom
{
    private ulong _s0, _s1, _s2, _s3;
    private double? _spareNormal;

    public SeededRandom(ulong seed)
    {
        // SplitMix64 spreads any seed (even 0) over the 256-bit state.
        ulong x = seed;
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    private SeededRandom() { }

    private static ulong SplitMix(ref ulong x) => Mix(x += 0x9E3779B97F4A7C15UL);

    /// <summary>
    /// SplitMix64's output function: a bijection on 64 bits in which every output bit depends on every input bit, so
    /// hashing a counter gives independent-looking values (the dropout masks' counter-based draws).
    /// </summary>
    internal static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public ulong NextUInt64()
    {
        ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer in [0, maxExclusive), without modulo bias (Lemire's method).</summary>
    public int NextInt(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxExclusive, 1);
        ulong range = (ulong)maxExclusive;
        ulong product = Math.BigMul(NextUInt64(), range, out ulong low);
        if (low < range)
        {
            ulong threshold = (0UL - range) % range;
            while (low < threshold)
                product = Math.BigMul(NextUInt64(), range, out low);
        }
        return (int)product;
    }

    /// <summary>A standard normal N(0, 1) draw (Box–Muller; the second value of each pair is kept for the next call).</summary>
    public double NextNormal()
    {
        if (_spareNormal is double spare)
        {
            _spareNormal = null;
            return spare;
        }
        double u1;
        do u1 = NextDouble(); while (u1 <= double.Epsilon);
        double u2 = NextDouble();
        double radius = Math.Sqrt(-2.0 * Math.Log(u1));
        double angle = 2.0 * Math.PI * u2;
        _spareNormal = radius * Math.Sin(angle);
        return radius * Math.Cos(angle);
    }

    /// <summary>Fisher–Yates shuffle in place.</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    public void WriteState(BinaryWriter writer)
    {
        writer.Write(_s0);
        writer.Write(_s1);
        writer.Write(_s2);
        writer.Write(_s3);
        writer.Write(_spareNormal.HasValue);
        writer.Write(_spareNormal ?? 0.0);
    }

    public static SeededRandom ReadState(BinaryReader reader)
    {
        var random = new SeededRandom
        {
            _s0 = reader.ReadUInt64(),
            _s1 = reader.ReadUInt64(),
            _s2 = reader.ReadUInt64(),
            _s3 = reader.ReadUInt64(),
        };
        bool hasSpare = reader.ReadBoolean();
        double spare = reader.ReadDouble();
        random._spareNormal = hasSpare ? spare : null;
        return random;
    }
}
