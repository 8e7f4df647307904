// The wheel over the graph zooms it (Blazor.Diagrams handles the wheel on the server). The page
// must not scroll as well: it would carry the graph away from under the pointer, so the next notch
// zooms around another point or lands on the timeline below. The default is cancelled here, by a
// non-passive listener on the graph itself, because the wheel lands on the library's canvas and
// layers, whose markup we do not write.
export function keepWheelInGraph(graph) {
    graph?.addEventListener('wheel', e => e.preventDefault(), { passive: false });
}
