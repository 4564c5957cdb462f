using System.Globalization;

namespace BackpropService.Api.Predict;

/// <summary>
/// Turns JSON number text into the nearest <see cref="float"/>, exactly as <see cref="float.Parse(string)"/>
/// would, but fast for the numbers clients send (up to 19 significant digits, exponent within ±22).
/// </summary>
/// <remarks>
/// Fast path (Clinger): a mantissa m ≤ 2^53 and a power 10^e with |e| ≤ 22 are exact doubles, so one IEEE
/// multiply or divide gives the correctly rounded double d of m·10^e. Rounding d to float gives the
/// correctly rounded float unless d lands exactly halfway between two floats (then the true value may
/// lie on either side); that case, subnormals and overflow go to the framework's parser.
/// </remarks>
public static class JsonFloat
{
    private static readonly double[] PowersOfTen =
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    /// <summary>Parses <paramref name="text"/> (a JSON number, or a number in a JSON string); false if it is not one.</summary>
    public static bool TryParse(ReadOnlySpan<byte> text, out float value)
    {
        int i = 0;
        bool negative = false;
        if (text.Length > 0 && text[0] == (byte)'-')
        {
            negative = true;
            i = 1;
        }
        ulong mantissa = 0;
        int significantDigits = 0, exponent = 0, digitsSeen = 0;
        for (; i < text.Length; i++)
        {
            uint digit = (uint)(text[i] - '0');
            if (digit > 9) break;
            if (significantDigits == 19) return ParseSlowly(text, out value);
            mantissa = mantissa * 10 + digit;
            if (mantissa != 0) significantDigits++;
            digitsSeen++;
        }
        if (i < text.Length && text[i] == (byte)'.')
        {
            for (i++; i < text.Length; i++)
            {
                uint digit = (uint)(text[i] - '0');
                if (digit > 9) break;
                if (significantDigits == 19) return ParseSlowly(text, out value);
                mantissa = mantissa * 10 + digit;
                if (mantissa != 0) significantDigits++;
                exponent--;
                digitsSeen++;
            }
        }
        if (digitsSeen == 0) return ParseSlowly(text, out value);
        if (i < text.Length && (text[i] | 0x20) == (byte)'e')
        {
            i++;
            bool negativeExponent = false;
            if (i < text.Length && (text[i] == (byte)'+' || text[i] == (byte)'-')) negativeExponent = text[i++] == (byte)'-';
            int written = 0, start = i;
            for (; i < text.Length; i++)
            {
                uint digit = (uint)(text[i] - '0');
                if (digit > 9 || written > 1000) break;
                written = written * 10 + (int)digit;
            }
            if (i == start || written > 1000) return ParseSlowly(text, out value);
            exponent += negativeExponent ? -written : written;
        }
        if (i != text.Length) return ParseSlowly(text, out value);
        if (mantissa == 0)
        {
            value = negative ? -0f : 0f;
            return true;
        }
        if (mantissa > 1UL << 53 || exponent < -22 || exponent > 22) return ParseSlowly(text, out value);

        double nearest = exponent < 0 ? mantissa / PowersOfTen[-exponent] : mantissa * PowersOfTen[exponent];
        // The 29 double mantissa bits below float precision: exactly 1000…0 means halfway between two floats.
        if ((BitConverter.DoubleToUInt64Bits(nearest) & 0x1FFF_FFFF) == 0x1000_0000
            || nearest < 1.1754943508222875e-38 || nearest > float.MaxValue)
            return ParseSlowly(text, out value);
        value = negative ? -(float)nearest : (float)nearest;
        return true;
    }

    private static bool ParseSlowly(ReadOnlySpan<byte> text, out float value) =>
        float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
}
