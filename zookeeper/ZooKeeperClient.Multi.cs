using RedisRing.ZooKeeper.Protocol;

namespace RedisRing.ZooKeeper;

public sealed partial class ZooKeeperClient
{
    /// <summary>
    /// Applies every operation or none. On failure throws <see cref="MultiOperationException"/>
    /// with the per-operation results (the failing one's error, Ok before it, RuntimeInconsistency after).
    /// </summary>
    public Task<IReadOnlyList<OpResult>> MultiAsync(IEnumerable<Op> operations, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operations);
        var ops = operations.ToList();
        var writes = new List<(OpCode OpCode, Action<JuteWriter> Write)>(ops.Count);
        foreach (var op in ops)
        {
            writes.Add(MultiOp(op));
        }

        return Submit<IReadOnlyList<OpResult>>(OpCode.Multi, w =>
        {
            foreach (var (opCode, write) in writes)
            {
                WriteMultiHeader(w, opCode, done: false);
                write(w);
            }

            WriteMultiHeader(w, (OpCode)(-1), done: true);
        }, (error, ref body) =>
        {
            ThrowIfError(error, null);
            return ReadMultiResults(ref body);
        }, cancellationToken);
    }

    private static void WriteMultiHeader(JuteWriter writer, OpCode opCode, bool done)
    {
        writer.WriteInt((int)opCode);
        writer.WriteBool(done);
        writer.WriteInt(-1);
    }

    private (OpCode OpCode, Action<JuteWriter> Write) MultiOp(Op op)
    {
        ArgumentNullException.ThrowIfNull(op);
        switch (op)
        {
            case CreateOp create:
                return CreateRequest(create.Path, create.Data, create.Mode, create.Acl, create.Ttl);
            case DeleteOp delete:
                ZooKeeperPath.Validate(delete.Path);
                var deletePath = ServerPath(delete.Path);
                return (OpCode.Delete, w =>
                {
                    w.WriteString(deletePath);
                    w.WriteInt(delete.Version);
                });
            case SetDataOp set:
                ZooKeeperPath.Validate(set.Path);
                var setPath = ServerPath(set.Path);
                return (OpCode.SetData, w =>
                {
                    w.WriteString(setPath);
                    w.WriteBuffer(set.Data.Span);
                    w.WriteInt(set.Version);
                });
            case CheckOp check:
                ZooKeeperPath.Validate(check.Path);
                var checkPath = ServerPath(check.Path);
                return (OpCode.Check, w =>
                {
                    w.WriteString(checkPath);
                    w.WriteInt(check.Version);
                });
            default:
                throw new ArgumentException($"Unsupported operation {op.GetType().Name}.", nameof(op));
        }
    }

    private IReadOnlyList<OpResult> ReadMultiResults(ref JuteReader body)
    {
        var results = new List<OpResult>();
        var failed = -1;
        var failure = ErrorCode.Ok;
        while (true)
        {
            var type = body.ReadInt();
            var done = body.ReadBool();
            _ = body.ReadInt();
            if (done)
            {
                break;
            }

            switch ((OpCode)type)
            {
                case OpCode.Create:
                    results.Add(new OpResult.Created(_connectString.ToClientPath(body.ReadString() ?? string.Empty), null));
                    break;
                case OpCode.Create2:
                case OpCode.CreateContainer:
                case OpCode.CreateTtl:
                    var path = _connectString.ToClientPath(body.ReadString() ?? string.Empty);
                    results.Add(new OpResult.Created(path, body.ReadStat()));
                    break;
                case OpCode.Delete:
                    results.Add(new OpResult.Deleted());
                    break;
                case OpCode.SetData:
                    results.Add(new OpResult.DataSet(body.ReadStat()));
                    break;
                case OpCode.Check:
                    results.Add(new OpResult.Checked());
                    break;
                case OpCode.Error:
                    var code = (ErrorCode)body.ReadInt();
                    if (failed < 0 && code is not ErrorCode.Ok and not ErrorCode.RuntimeInconsistency)
                    {
                        failed = results.Count;
                        failure = code;
                    }

                    results.Add(new OpResult.Error(code));
                    break;
                default:
                    throw new JuteFormatException($"Unknown result type {type} in a multi reply.");
            }
        }

        if (failed >= 0)
        {
            throw new MultiOperationException(failure, failed, results);
        }

        return results;
    }
}
