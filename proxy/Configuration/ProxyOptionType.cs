namespace RedisRing.Proxy.Configuration;

/// <summary>
/// What a setting's value is: it decides the JSON kind the config file must use and how a
/// command-line word is read.
/// </summary>
internal enum ProxyOptionType
{
    /// <summary>A JSON string; one command-line word.</summary>
    Text,

    /// <summary>A JSON number within 32 bits; one command-line word.</summary>
    Integer,

    /// <summary>A JSON number within 64 bits (byte sizes); one command-line word.</summary>
    LongInteger,

    /// <summary>
    /// A JSON array of strings; on the command line one comma-separated word, or one item per
    /// occurrence when the option is repeatable (--node).
    /// </summary>
    TextList,
}
