namespace RedisRing.Resp;

/// <summary>
/// How far <see cref="ReplyScanner"/> got into a reply that has not fully arrived, so that the
/// next call resumes there instead of rescanning from the reply's first byte (which made a
/// 300,000-element reply cost quadratic time). Valid only while the caller passes a buffer with
/// the same start, with more bytes appended, as a pipe reader does after
/// <c>AdvanceTo(buffer.Start, buffer.End)</c>; reset it after each complete reply or protocol error.
/// </summary>
public struct ReplyScanState
{
    /// <summary>Bytes from the start of the reply to <see cref="Position"/>.</summary>
    internal long Scanned;

    /// <summary>
    /// Where scanning resumes: the next element header, or the payload of the bulk string whose
    /// header was read last when <see cref="PendingPayload"/> is set. Kept as a position (not only
    /// as an offset) so that resuming does not walk the segments already scanned.
    /// </summary>
    internal SequencePosition Position;

    /// <summary>Elements whose header is still to be read; meaningful once <see cref="Started"/>.</summary>
    internal long Outstanding;

    /// <summary>False until a call has scanned part of this reply; a fresh reply has one element to read.</summary>
    internal bool Started;

    /// <summary>Bytes of a bulk payload and its CRLF still to skip after a header already read.</summary>
    internal long PendingPayload;

    /// <summary>
    /// Bytes after the type byte of the header at <see cref="Position"/> already searched for its
    /// CRLF without finding it: a long simple string arriving in pieces is searched once.
    /// </summary>
    internal long LineSearched;

    /// <summary>
    /// Bytes the scanner has looked at or skipped over, summed across calls (a byte looked at
    /// twice counts twice). Resuming keeps it proportional to the reply's size, which tests check.
    /// </summary>
    public long BytesExamined { get; internal set; }

    /// <summary>Forgets the reply scanned so far, before scanning the next one.</summary>
    public void Reset() => this = default;
}
