namespace RedisRing.Resp;

/// <summary>
/// How far <see cref="RequestReader"/> got into a request that has not fully arrived, kept in the
/// connection's <see cref="RequestFrame"/> so that the next receive resumes there instead of
/// rescanning from the request's first byte (which made a request of a million arguments cost
/// quadratic time). Valid only while the caller passes a buffer with the same start, with more
/// bytes appended; cleared when the request is complete or fails.
/// </summary>
internal struct RequestScanState
{
    /// <summary>A scan has started and neither completed nor failed: the next read resumes it.</summary>
    public bool InProgress;

    /// <summary>True once the array header ("*N") has been read; <see cref="Count"/> is then set.</summary>
    public bool CountRead;

    /// <summary>Arguments the request announced.</summary>
    public int Count;

    /// <summary>Arguments whose header has been read; their positions are in the frame already.</summary>
    public int ArgumentsFound;

    /// <summary>Bytes from the start of the request to <see cref="Position"/>.</summary>
    public long Scanned;

    /// <summary>
    /// Where scanning resumes: the next header, or the payload of the last argument whose header
    /// was read when <see cref="PendingPayload"/> is set. A position, not only an offset, so that
    /// resuming does not walk the segments already scanned.
    /// </summary>
    public SequencePosition Position;

    /// <summary>Bytes of the last argument's payload and CRLF still to arrive after its header.</summary>
    public long PendingPayload;

    /// <summary>
    /// Bytes of the line at <see cref="Position"/> (after its marker, for a header) already
    /// searched for its end without finding it.
    /// </summary>
    public long LineSearched;
}
