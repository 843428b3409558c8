namespace RedisRing.Proxy.PubSub;

/// <summary>
/// Where the proxy writes a client's unsolicited frames (pub/sub messages), interleaved with its
/// replies by the session. Called from the nodes' subscriber connections, on their threads.
/// </summary>
internal interface IPushTarget
{
    /// <summary>
    /// Queues one frame written as a RESP2 array (<c>*3\r\n$7\r\nmessage...</c>); a RESP3 client
    /// gets the same frame as a push (<c>&gt;3...</c>). Never blocks: a client that does not read
    /// is closed once its queued frames pass its output buffer limit.
    /// </summary>
    void Push(ReadOnlySpan<byte> frame);

    /// <summary>
    /// The client subscribed for the first time (called on the session's own thread, while it
    /// dispatches): from now on its frames are interleaved with its replies, never ahead of the
    /// reply that confirmed the subscription.
    /// </summary>
    void Activate();
}
