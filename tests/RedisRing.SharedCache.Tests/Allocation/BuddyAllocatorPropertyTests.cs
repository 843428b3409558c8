using FsCheck.Xunit;
using RedisRing.SharedCache.Allocation;
using RedisRing.SharedCache.Format;

namespace RedisRing.SharedCache.Tests.Allocation;

/// <summary>Random alloc/free sequences checked against a model: the set of allocated blocks.</summary>
public sealed class BuddyAllocatorPropertyTests
{
    private const int MaxOrder = 14;

    [Property(MaxTest = 300)]
    public void Random_alloc_and_free_never_overlap_and_fail_only_when_no_aligned_space_is_free(int[] operations)
    {
        using var arena = new NativeArena(MaxOrder);
        var model = new Dictionary<long, int>();
        foreach (var operation in operations)
        {
            var choice = (uint)operation;
            if (choice % 3 != 0 || model.Count == 0)
            {
                var order = Layout.MinOrder + (int)(choice / 3 % (MaxOrder - Layout.MinOrder + 1));
                var block = arena.Allocator.Allocate(order);
                if (block < 0)
                {
                    Assert.False(ModelHasFreeAligned(model, order), $"order {order} failed although the model has room");
                    continue;
                }

                model.Add(block, order);
            }
            else
            {
                var victim = model.Keys.ElementAt((int)(choice / 3 % (uint)model.Count));
                arena.Allocator.Free(victim, model[victim]);
                model.Remove(victim);
            }

            AssertConsistent(arena, model);
        }

        foreach (var (block, order) in model)
        {
            arena.Allocator.Free(block, order);
        }

        AssertSingleTopBlock(arena);
    }

    [Fact]
    public void Ten_thousand_seeded_operations_keep_the_model_and_coalesce_back_to_one_block()
    {
        using var arena = new NativeArena(16);
        var model = new Dictionary<long, int>();
        var random = new Random(4);
        for (var i = 0; i < 10_000; i++)
        {
            if (random.Next(5) < 3 || model.Count == 0)
            {
                var order = Layout.MinOrder + random.Next(8);
                var block = arena.Allocator.Allocate(order);
                if (block >= 0)
                {
                    model.Add(block, order);
                }
            }
            else
            {
                var victim = model.Keys.ElementAt(random.Next(model.Count));
                arena.Allocator.Free(victim, model[victim]);
                model.Remove(victim);
            }
        }

        AssertConsistent(arena, model);
        foreach (var (block, order) in model.OrderBy(_ => random.Next()))
        {
            arena.Allocator.Free(block, order);
        }

        AssertSingleTopBlock(arena);
    }

    [Fact]
    public void Rebuilding_from_the_live_blocks_gives_the_same_free_space_as_the_allocator_had()
    {
        using var arena = new NativeArena(MaxOrder);
        var random = new Random(7);
        var model = new Dictionary<long, int>();
        for (var i = 0; i < 200; i++)
        {
            var order = Layout.MinOrder + random.Next(4);
            var block = arena.Allocator.Allocate(order);
            if (block >= 0)
            {
                model.Add(block, order);
            }

            if (model.Count > 0 && random.Next(3) == 0)
            {
                var victim = model.Keys.ElementAt(random.Next(model.Count));
                arena.Allocator.Free(victim, model[victim]);
                model.Remove(victim);
            }
        }

        var before = Enumerable.Range(0, 64).Select(o => arena.Allocator.FreeCount(o)).ToArray();
        arena.Allocator.Rebuild(model.OrderBy(p => p.Key).Select(p => (p.Key, p.Value)).ToList());
        var after = Enumerable.Range(0, 64).Select(o => arena.Allocator.FreeCount(o)).ToArray();
        Assert.Equal(before, after);
        AssertConsistent(arena, model);
    }

    [Theory]
    [InlineData(1, 6)]
    [InlineData(64, 6)]
    [InlineData(65, 7)]
    [InlineData(532, 10)]
    [InlineData(1 << 20, 20)]
    public void Order_for_a_size_is_the_smallest_block_that_holds_it(long bytes, int order) =>
        Assert.Equal(order, BuddyAllocator.OrderFor(bytes));

    private static void AssertConsistent(NativeArena arena, Dictionary<long, int> model)
    {
        long previousEnd = Layout.HeaderSize;
        long used = 0;
        foreach (var (block, order) in model.OrderBy(p => p.Key))
        {
            Assert.True(block >= previousEnd, $"block {block} overlaps the one before it");
            Assert.Equal(0, (block - Layout.HeaderSize) & ((1L << order) - 1));
            previousEnd = block + (1L << order);
            used += 1L << order;
        }

        Assert.True(previousEnd <= Layout.HeaderSize + (1L << arena.MaxOrder));
        Assert.Equal(used, arena.Allocator.UsedBytes);
        Assert.Equal((1L << arena.MaxOrder) - used, arena.FreeBytes);
    }

    private static void AssertSingleTopBlock(NativeArena arena)
    {
        for (var order = 0; order < Layout.OrderSlots; order++)
        {
            Assert.Equal(order == arena.MaxOrder ? 1 : 0, arena.Allocator.FreeCount(order));
        }

        Assert.Equal(0, arena.Allocator.UsedBytes);
    }

    /// <summary>Is some 2^order aligned region untouched by every allocated block?</summary>
    private static bool ModelHasFreeAligned(Dictionary<long, int> model, int order)
    {
        var size = 1L << order;
        for (long start = 0; start < 1L << MaxOrder; start += size)
        {
            var from = Layout.HeaderSize + start;
            if (!model.Any(p => p.Key < from + size && from < p.Key + (1L << p.Value)))
            {
                return true;
            }
        }

        return false;
    }
}
