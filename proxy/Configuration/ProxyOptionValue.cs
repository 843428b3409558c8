namespace RedisRing.Proxy.Configuration;

/// <summary>
/// A setting's value once read and checked against its <see cref="ProxyOptionType"/>: a setter
/// takes the member that matches the type (Text, Number, or Items for a list).
/// </summary>
internal readonly record struct ProxyOptionValue(string Text, long Number, IReadOnlyList<string> Items)
{
    /// <summary>The number of an Integer setting, which the reader already bounded to 32 bits.</summary>
    public int Int32 => checked((int)Number);
}
