namespace RedisRing.Registrar.Health;

/// <summary>The INFO fields the health rule looks at.</summary>
internal sealed record InfoFields(string RunId, bool Loading, string Role)
{
    public static InfoFields Parse(string info)
    {
        string runId = string.Empty, role = string.Empty;
        var loading = false;
        foreach (var rawLine in info.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || line[0] == '#')
            {
                continue;
            }

            var value = line[(colon + 1)..];
            switch (line[..colon])
            {
                case "run_id":
                    runId = value;
                    break;
                case "loading":
                    loading = value == "1";
                    break;
                case "role":
                    role = value;
                    break;
            }
        }

        return new InfoFields(runId, loading, role);
    }
}
