using System.Text;

namespace RedisRing.Ring;

/// <summary>Checks ring input before anything is built, so a bad membership update is rejected whole.</summary>
internal static class RingValidation
{
    public static void Validate(IReadOnlyList<RingNode> nodes, RingOptions options)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(options);
        ValidateOptions(options);
        if (nodes.Count == 0)
        {
            throw new ArgumentException("A ring needs at least one node.", nameof(nodes));
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        long totalWeight = 0;
        for (var i = 0; i < nodes.Count; i++)
        {
            var node = nodes[i] ?? throw new ArgumentException($"Node {i} is null.", nameof(nodes));
            ValidateNode(i, node);
            if (!names.Add(node.Name))
            {
                throw new ArgumentException($"Node {i}: the name '{node.Name}' is used by another node; names decide placement and must be unique.", nameof(nodes));
            }

            totalWeight += node.Weight;
        }

        // twemproxy sums weights in 32 bits; keep well inside that.
        if (totalWeight > int.MaxValue)
        {
            throw new ArgumentException($"The weights add up to {totalWeight}, more than {int.MaxValue}.", nameof(nodes));
        }
    }

    internal static void ValidateOptions(RingOptions options)
    {
        if (RingOptions.CheckReplicas(options.Replicas) is { } error)
        {
            throw new ArgumentException($"Replicas {error}.", nameof(options));
        }

        var tag = options.HashTag;
        if (!string.IsNullOrEmpty(tag) && (tag.Length != 2 || !Ascii.IsValid(tag)))
        {
            throw new ArgumentException($"HashTag must be two ASCII characters (like \"{{}}\"), or null/empty for none, not \"{tag}\".", nameof(options));
        }
    }

    private static void ValidateNode(int index, RingNode node)
    {
        if (string.IsNullOrEmpty(node.Name))
        {
            throw new ArgumentException($"Node {index}: the name is empty.", "nodes");
        }

        if (node.Name.Contains('\0', StringComparison.Ordinal))
        {
            // twemproxy compares names with strncmp, which stops at a NUL byte.
            throw new ArgumentException($"Node {index}: the name contains a NUL character.", "nodes");
        }

        if (string.IsNullOrWhiteSpace(node.Host))
        {
            throw new ArgumentException($"Node {index} ('{node.Name}'): the host is empty.", "nodes");
        }

        if (node.Port is < 1 or > 65535)
        {
            throw new ArgumentException($"Node {index} ('{node.Name}'): the port {node.Port} is outside 1..65535.", "nodes");
        }

        if (node.Weight < 1)
        {
            throw new ArgumentException($"Node {index} ('{node.Name}'): the weight {node.Weight} is below 1.", "nodes");
        }
    }
}
