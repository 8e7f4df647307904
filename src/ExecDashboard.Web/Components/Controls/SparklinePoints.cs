using System.Globalization;
using System.Text;

namespace ExecDashboard.Web.Components.Controls;

/// <summary>The <c>points</c> of a sparkline polyline: at most one point per pixel column, scaled to the box.</summary>
public static class SparklinePoints
{
    public static string Of(IReadOnlyList<long> values, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0 || width < 2 || height < 2)
        {
            return string.Empty;
        }

        // Thousands of runs in a 120-pixel row: keep the largest value of each column, so a spike stays visible.
        var columns = Math.Min(values.Count, width);
        var max = Math.Max(1, values.Max());
        var text = new StringBuilder(columns * 10);
        for (var c = 0; c < columns; c++)
        {
            var from = c * values.Count / columns;
            var to = Math.Max(from + 1, (c + 1) * values.Count / columns);
            long peak = 0;
            for (var i = from; i < to; i++)
            {
                peak = Math.Max(peak, values[i]);
            }

            var x = columns == 1 ? width / 2.0 : c * (width - 1.0) / (columns - 1);
            var y = (height - 1) - (peak * (height - 2.0) / max);
            text.Append(CultureInfo.InvariantCulture, $"{x:0.#},{y:0.#} ");
        }

        return text.ToString().TrimEnd();
    }
}
