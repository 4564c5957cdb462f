using System.Buffers;
using System.Globalization;

namespace BackpropService.Engine.Data;

/// <summary>
/// Splits CSV text into fields one at a time, per RFC 4180, holding at most one field (bounded by the field-length
/// limit) and one read-ahead block: a row's fields are handed on as they are read, never collected. Counts physical
/// lines so errors can point at them. Unquoted fields are trimmed; quoted fields are kept exactly, with "" read as ".
/// Blank lines are skipped wherever they are.
/// </summary>
internal sealed class CsvTokenizer(TextReader reader, int maxFieldLength, int maxColumns)
{
    private const int BlockLength = 16 * 1024;

    private static readonly SearchValues<char> UnquotedFieldEnds = SearchValues.Create(",\r\n");

    /// <summary>Inside quotes: the closing (or doubled) quote, and line breaks, which are counted.</summary>
    private static readonly SearchValues<char> QuotedFieldStops = SearchValues.Create("\"\r\n");

    private readonly char[] _block = new char[BlockLength];
    private int _position, _end;
    private char[] _field = new char[Math.Min(maxFieldLength, 256)];
    private int _fieldLength;
    private bool _atRecordStart = true;
    private int _line = 1;
    private int _fieldLine;

    /// <summary>The physical line (1-based) the current record starts on.</summary>
    public int RecordLine { get; private set; }

    /// <summary>The 0-based column of the field just read.</summary>
    public int Column { get; private set; }

    /// <summary>Whether the field just read was quoted (then it is kept exactly, spaces and all).</summary>
    public bool Quoted { get; private set; }

    /// <summary>Whether the field just read is the last one of its record.</summary>
    public bool EndsRecord { get; private set; }

    /// <summary>The field just read; valid until the next call of <see cref="TryReadField"/>.</summary>
    public ReadOnlySpan<char> Field => Quoted ? _field.AsSpan(0, _fieldLength) : _field.AsSpan(0, _fieldLength).TrimEnd();

    /// <summary>Reads the next field; false when the text has no more records.</summary>
    /// <exception cref="DataFormatException">A quote is never closed or is followed by text, or a limit is passed.</exception>
    public bool TryReadField()
    {
        if (_atRecordStart)
        {
            if (!SkipBlankLines())
                return false;
            RecordLine = _line;
            Column = 0;
            _atRecordStart = false;
        }
        else if (++Column >= maxColumns)
        {
            throw new DataFormatException(
                $"CSV line {RecordLine}: more than {maxColumns.ToString("N0", CultureInfo.InvariantCulture)} columns, the most a row may have.") { Limit = DataLimit.Columns };
        }

        _fieldLength = 0;
        _fieldLine = _line;
        SkipSpaces();
        Quoted = Peek() == '"';
        if (Quoted)
        {
            _position++;
            ReadQuoted();
        }
        else
        {
            ReadUnquoted();
        }
        return true;
    }

    /// <summary>Skips spaces and line breaks before a record; false at the end of the text.</summary>
    private bool SkipBlankLines()
    {
        while (true)
        {
            SkipSpaces();
            int next = Peek();
            if (next == -1)
                return false;
            if (next is not ('\r' or '\n'))
                return true;
            ConsumeLineBreak();
        }
    }

    /// <summary>Skips white space other than line breaks (an unquoted field is trimmed anyway, and a quote after spaces still opens a quoted field).</summary>
    private void SkipSpaces()
    {
        while (true)
        {
            if (_position == _end && !Fill())
                return;
            char c = _block[_position];
            if (c is '\r' or '\n' || !char.IsWhiteSpace(c))
                return;
            _position++;
        }
    }

    private void ReadUnquoted()
    {
        // A quote in the middle of an unquoted field (5"3) is not RFC 4180 but is unambiguous: it is kept.
        if (AppendUntil(UnquotedFieldEnds))
            EndField();
        else
            EndRecord();
    }

    private void ReadQuoted()
    {
        int quoteLine = _line;
        while (true)
        {
            if (!AppendUntil(QuotedFieldStops))
                throw new DataFormatException(
                    $"CSV line {quoteLine}, column {Column}: a quoted field is never closed (missing '\"').");
            char c = _block[_position++];
            if (c == '"')
            {
                if (Peek() != '"')
                    break;
                _position++;
                Append("\"");
                continue;
            }
            // A line break inside quotes is part of the value; \r\n counts as one line.
            Append([c]);
            if (c == '\n' || Peek() != '\n')
                _line++;
        }

        SkipSpaces();
        int next = Peek();
        if (next is not (-1 or ',' or '\r' or '\n'))
            throw new DataFormatException(
                $"CSV line {_line}, column {Column}: unexpected '{(char)next}' after a closing quote; " +
                "a quote inside a quoted field must be doubled (\"\").");
        if (next == -1)
            EndRecord();
        else
            EndField();
    }

    /// <summary>Appends the text up to the next of <paramref name="stops"/>: true with the read position on it, false at the end of the text.</summary>
    private bool AppendUntil(SearchValues<char> stops)
    {
        while (true)
        {
            if (_position == _end && !Fill())
                return false;
            ReadOnlySpan<char> rest = _block.AsSpan(_position, _end - _position);
            int stop = rest.IndexOfAny(stops);
            if (stop >= 0)
            {
                Append(rest[..stop]);
                _position += stop;
                return true;
            }
            Append(rest);
            _position = _end;
        }
    }

    /// <summary>Consumes the comma or line break at the read position and says whether the record ends there.</summary>
    private void EndField()
    {
        if (_block[_position] == ',')
        {
            _position++;
            EndsRecord = false;
            return;
        }
        ConsumeLineBreak();
        EndRecord();
    }

    private void EndRecord()
    {
        EndsRecord = true;
        _atRecordStart = true;
    }

    private void ConsumeLineBreak()
    {
        char c = _block[_position++];
        if (c == '\r' && Peek() == '\n')
            _position++;
        _line++;
    }

    private void Append(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
            return;
        int length = _fieldLength + text.Length;
        if (length > _field.Length)
        {
            if (length > maxFieldLength)
                throw new DataFormatException(
                    $"CSV line {_fieldLine}, column {Column}: the field is longer than {maxFieldLength.ToString("N0", CultureInfo.InvariantCulture)} " +
                    "characters, the most a field may have.") { Limit = DataLimit.FieldLength };
            Array.Resize(ref _field, (int)Math.Min(Math.Max(length, 2L * _field.Length), maxFieldLength));
        }
        text.CopyTo(_field.AsSpan(_fieldLength));
        _fieldLength = length;
    }

    private int Peek()
    {
        if (_position == _end && !Fill())
            return -1;
        return _block[_position];
    }

    private bool Fill()
    {
        _end = reader.Read(_block, 0, _block.Length);
        _position = 0;
        return _end > 0;
    }
}
