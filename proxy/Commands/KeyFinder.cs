namespace RedisRing.Proxy.Commands;

/// <summary>Where a command's keys are, for commands whose key positions depend on arguments.</summary>
internal enum KeyFinder
{
    /// <summary>First key, last key (negative counts from the end) and step, as Redis's COMMAND reports.</summary>
    Range,

    /// <summary>numkeys at argument 2, keys from 3 (EVAL, EVALSHA, FCALL and their _RO forms).</summary>
    NumKeysAt2,

    /// <summary>Destination at 1, numkeys at 2, keys from 3 (ZUNIONSTORE, ZINTERSTORE, ZDIFFSTORE).</summary>
    DestinationThenNumKeysAt2,

    /// <summary>numkeys at 1, keys from 2 (ZUNION, ZINTER, ZDIFF, ZINTERCARD, SINTERCARD, LMPOP, ZMPOP).</summary>
    NumKeysAt1,

    /// <summary>Key at 1 plus the argument after STORE / STOREDIST (GEORADIUS, GEORADIUSBYMEMBER).</summary>
    GeoRadiusStore,

    /// <summary>Key at 1 plus STORE destination; BY/GET patterns other than nosort/# are refused (SORT).</summary>
    Sort,

    /// <summary>Keys are the first half of the arguments after STREAMS (XREAD, XREADGROUP).</summary>
    Streams,
}
