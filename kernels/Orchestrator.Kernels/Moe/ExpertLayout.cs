namespace Orchestrator.Kernels.Moe;

/// <summary>
/// Where every routed item (a token's assignment to an expert) sits in the grouped buffer the expert products run
/// over. Rows of one expert are contiguous, experts in index order; padding rows gather from a zero row (index
/// <c>sourceRowCount</c>) and their outputs are never read back.
/// </summary>
internal sealed class ExpertLayout
{
    private ExpertLayout(long[] sourceRowOfBufferRow, long[] bufferRowOfItem, bool[] keptItem, long[] groupRows, long[] itemsPerExpert)
    {
        SourceRowOfBufferRow = sourceRowOfBufferRow;
        BufferRowOfItem = bufferRowOfItem;
        KeptItem = keptItem;
        GroupRows = groupRows;
        ItemsPerExpert = itemsPerExpert;
    }

    /// <summary>For each buffer row, the source row it copies; the source row count means "the zero row" (padding).</summary>
    public long[] SourceRowOfBufferRow { get; }

    /// <summary>For each item, the buffer row holding its expert output (meaningless where <see cref="KeptItem"/> is false).</summary>
    public long[] BufferRowOfItem { get; }

    /// <summary>False for items the capacity rule dropped; always true in a dropless layout.</summary>
    public bool[] KeptItem { get; }

    /// <summary>Buffer rows per expert (tokens plus padding), in expert order.</summary>
    public long[] GroupRows { get; }

    /// <summary>Items routed to each expert, before any dropping.</summary>
    public long[] ItemsPerExpert { get; }

    public long TotalRows => SourceRowOfBufferRow.LongLength;

    public long DroppedItems => KeptItem.LongLength - KeptItem.LongCount(kept => kept);

    public long PaddingRows => TotalRows - (KeptItem.LongLength - DroppedItems);

    /// <summary>For each buffer row, the item it holds, or -1 for a padding row (the inverse of <see cref="BufferRowOfItem"/>).</summary>
    public long[] ItemOfBufferRow()
    {
        var itemOfRow = new long[TotalRows];
        Array.Fill(itemOfRow, -1L);
        for (var item = 0; item < BufferRowOfItem.Length; item++)
        {
            if (KeptItem[item])
            {
                itemOfRow[BufferRowOfItem[item]] = item;
            }
        }

        return itemOfRow;
    }

    /// <summary>
    /// Dropless layout for <paramref name="strategy"/>: a stable counting sort of the items by expert; with
    /// <see cref="GroupedProductStrategy.BlockPaddedGroups"/> each expert's group is padded up to a multiple of
    /// <paramref name="blockSize"/>, and with <see cref="GroupedProductStrategy.BatchedPaddedGroups"/> every group is
    /// then padded to the largest so the products can run as one batched matmul.
    /// </summary>
    public static ExpertLayout Dropless(
        IReadOnlyList<long> expertOfItem, IReadOnlyList<long> sourceRowOfItem, long sourceRowCount, int expertCount, int blockSize,
        GroupedProductStrategy strategy) =>
        strategy switch
        {
            GroupedProductStrategy.ExactGroups => SortedByExpert(expertOfItem, sourceRowOfItem, sourceRowCount, expertCount),
            GroupedProductStrategy.BlockPaddedGroups => Grouped(expertOfItem, sourceRowOfItem, sourceRowCount, expertCount, blockSize, false),
            GroupedProductStrategy.BatchedPaddedGroups => Grouped(expertOfItem, sourceRowOfItem, sourceRowCount, expertCount, blockSize, true),
            _ => throw new ArgumentOutOfRangeException(nameof(strategy), strategy, "unknown grouped product strategy"),
        };

    /// <summary>The items stably sorted by expert, no padding: every row carries an item.</summary>
    public static ExpertLayout SortedByExpert(
        IReadOnlyList<long> expertOfItem, IReadOnlyList<long> sourceRowOfItem, long sourceRowCount, int expertCount) =>
        Grouped(expertOfItem, sourceRowOfItem, sourceRowCount, expertCount, 1, false);

    private static ExpertLayout Grouped(
        IReadOnlyList<long> expertOfItem, IReadOnlyList<long> sourceRowOfItem, long sourceRowCount, int expertCount, int rowMultiple,
        bool padToLargestGroup)
    {
        var items = expertOfItem.Count;
        var counts = CountPerExpert(expertOfItem, expertCount);
        var groupRows = new long[expertCount];
        for (var e = 0; e < expertCount; e++)
        {
            groupRows[e] = (counts[e] + rowMultiple - 1) / rowMultiple * rowMultiple;
        }

        if (padToLargestGroup)
        {
            var largest = groupRows.Length == 0 ? 0 : groupRows.Max();
            Array.Fill(groupRows, largest);
        }

        var groupStart = new long[expertCount];
        for (var e = 1; e < expertCount; e++)
        {
            groupStart[e] = groupStart[e - 1] + groupRows[e - 1];
        }

        var total = expertCount == 0 ? 0 : groupStart[^1] + groupRows[^1];
        var sourceOfRow = new long[total];
        Array.Fill(sourceOfRow, sourceRowCount);
        var rowOfItem = new long[items];
        var next = (long[])groupStart.Clone();
        for (var i = 0; i < items; i++)
        {
            // Visiting items in order and appending makes the sort stable: within an expert, items keep their order.
            var row = next[expertOfItem[i]]++;
            rowOfItem[i] = row;
            sourceOfRow[row] = sourceRowOfItem[i];
        }

        var kept = new bool[items];
        Array.Fill(kept, true);
        return new ExpertLayout(sourceOfRow, rowOfItem, kept, groupRows, counts);
    }

    /// <summary>
    /// Capacity-factor baseline: every expert gets exactly <paramref name="capacity"/> rows. Items claim rows in
    /// <paramref name="priorityOrder"/> (GShard: all first choices in token order, then all second choices); an item
    /// that finds its expert full is dropped.
    /// </summary>
    public static ExpertLayout WithCapacity(
        IReadOnlyList<long> expertOfItem, IReadOnlyList<long> sourceRowOfItem, IReadOnlyList<int> priorityOrder, long sourceRowCount,
        int expertCount, long capacity)
    {
        var items = expertOfItem.Count;
        var sourceOfRow = new long[expertCount * capacity];
        Array.Fill(sourceOfRow, sourceRowCount);
        var rowOfItem = new long[items];
        var kept = new bool[items];
        var filled = new long[expertCount];
        foreach (var item in priorityOrder)
        {
            var expert = expertOfItem[item];
            if (filled[expert] < capacity)
            {
                var row = expert * capacity + filled[expert]++;
                rowOfItem[item] = row;
                sourceOfRow[row] = sourceRowOfItem[item];
                kept[item] = true;
            }
        }

        var groupRows = new long[expertCount];
        Array.Fill(groupRows, capacity);
        return new ExpertLayout(sourceOfRow, rowOfItem, kept, groupRows, CountPerExpert(expertOfItem, expertCount));
    }

    private static long[] CountPerExpert(IReadOnlyList<long> expertOfItem, int expertCount)
    {
        var counts = new long[expertCount];
        foreach (var expert in expertOfItem)
        {
            if (expert < 0 || expert >= expertCount)
            {
                throw new ArgumentOutOfRangeException(nameof(expertOfItem), $"expert index {expert} is outside 0..{expertCount - 1}");
            }

            counts[expert]++;
        }

        return counts;
    }
}
