using System.Globalization;
using Microsoft.Playwright;

namespace ExecDashboard.EndToEnd.Tests.Support;

/// <summary>
/// The process graph's viewport as the browser draws it (the scale and offset Blazor.Diagrams writes
/// into its layers' transform), and waits for it to reach what the test asked for. Zoom and pan are
/// computed on the server, one round trip per wheel notch or drag: under load the renders arrive
/// many frames apart, so a node can look still for two frames and move again after. Waiting for
/// the viewport the input must produce is a condition, not a guess.
/// </summary>
internal static class GraphViewport
{
    /// <summary>One wheel notch: <c>ProcessGraph</c>'s <c>Zoom.ScaleFactor</c> (Blazor.Diagrams' <c>ZoomBehavior</c> multiplies by it per wheel event).</summary>
    private const double WheelFactor = 1.1;

    /// <summary><c>ProcessGraph</c>'s <c>Zoom.Maximum</c>: the behaviour clamps to it.</summary>
    private const double MaxZoom = 2.5;

    private const string Read =
        """
        () => {
            const layer = document.querySelector('.process-graph .diagram-html-layer');
            if (!layer) return null;
            const m = new DOMMatrix(getComputedStyle(layer).transform);
            return [m.a, m.e, m.f];
        }
        """;

    /// <summary>The scale and offset (CSS pixels) the graph is drawn at now.</summary>
    public static async Task<(double Scale, double X, double Y)> CurrentAsync(IPage page)
    {
        var v = await page.EvaluateAsync<double[]?>(Read);
        return v is [var scale, var x, var y] ? (scale, x, y) : throw new InvalidOperationException("The process graph has no drawn layer.");
    }

    /// <summary>Wheel-zooms in <paramref name="notches"/> times at the pointer, each notch once the previous one is drawn.</summary>
    public static async Task WheelInAsync(IPage page, int notches)
    {
        for (var i = 0; i < notches; i++)
        {
            var before = await CurrentAsync(page);
            await page.Mouse.WheelAsync(0, 120);
            await WaitForScaleAsync(page, Math.Min(before.Scale * WheelFactor, MaxZoom), $"wheel notch {i + 1} of {notches}");
        }
    }

    /// <summary>Waits until the graph is drawn at <paramref name="scale"/> (as read back, to a ten-thousandth).</summary>
    public static Task WaitForScaleAsync(IPage page, double scale, string after) =>
        WaitAsync(page, $"scale {scale.ToString(CultureInfo.InvariantCulture)}", after, "([v, s]) => Math.abs(v[0] - s) <= s * 1e-4", scale);

    /// <summary>
    /// Waits until the graph is no longer drawn at <paramref name="scale"/>: a fit applied (its
    /// scale depends on node sizes measured since, so it is not known beforehand, only different).
    /// </summary>
    public static Task WaitForScaleOtherThanAsync(IPage page, double scale, string after) =>
        WaitAsync(page, $"a scale other than {scale.ToString(CultureInfo.InvariantCulture)}", after, "([v, s]) => Math.abs(v[0] - s) > s * 1e-4", scale);

    /// <summary>Waits until the graph is drawn offset by (<paramref name="x"/>, <paramref name="y"/>), to half a pixel.</summary>
    public static Task WaitForOffsetAsync(IPage page, double x, double y, string after) =>
        WaitAsync(page, string.Create(CultureInfo.InvariantCulture, $"offset ({x}, {y})"), after, "([v, [x, y]]) => Math.abs(v[1] - x) <= 0.5 && Math.abs(v[2] - y) <= 0.5", new[] { x, y });

    private static async Task WaitAsync(IPage page, string wanted, string after, string predicate, object arg)
    {
        try
        {
            await page.WaitForFunctionAsync($"arg => {{ const v = ({Read})(); return v !== null && ({predicate})([v, arg]); }}", arg);
        }
        catch (TimeoutException ex)
        {
            var now = await CurrentAsync(page);
            throw new TimeoutException(string.Create(CultureInfo.InvariantCulture, $"After {after} the graph never reached {wanted}; it is drawn at scale {now.Scale}, offset ({now.X}, {now.Y})."), ex);
        }
    }
}
