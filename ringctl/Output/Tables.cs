using Spectre.Console;
using Spectre.Console.Rendering;

namespace RedisRing.Ringctl.Output;

/// <summary>Plain tables: cells are text as given (never parsed as Spectre markup: an address or a key may hold brackets).</summary>
internal static class Tables
{
    public static Table Create(params string[] columns)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var column in columns)
        {
            table.AddColumn(new TableColumn(new Text(column)));
        }

        return table;
    }

    public static void Row(Table table, params string[] cells) => table.AddRow(cells.Select(c => (IRenderable)new Text(c)));
}
