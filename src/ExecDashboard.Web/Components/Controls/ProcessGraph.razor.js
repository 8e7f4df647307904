// Draws a ProcessGraphDto with cytoscape.js (restored from npm into lib/ by the build).
// Labels are drawn on a canvas as text, so process data never becomes markup.

let loading;

function loadCytoscape() {
    if (window.cytoscape) {
        return Promise.resolve(window.cytoscape);
    }

    loading ??= new Promise((resolve, reject) => {
        const script = document.createElement('script');
        script.src = 'lib/cytoscape/cytoscape.min.js';
        script.onload = () => resolve(window.cytoscape);
        script.onerror = () => reject(new Error('lib/cytoscape/cytoscape.min.js could not be loaded'));
        document.head.appendChild(script);
    });
    return loading;
}

function elementsOf(graph) {
    const nodes = graph.nodes.map(n => ({
        group: 'nodes',
        data: { id: n.id, label: n.label, kind: n.kind, count: n.count, provenance: n.provenance, key: n.key },
        classes: `${n.kind} ${n.provenance}`,
    }));
    const edges = graph.edges.map(e => ({
        group: 'edges',
        data: { id: e.id, source: e.source, target: e.target, kind: e.kind },
        classes: e.kind,
    }));
    return nodes.concat(edges);
}

const style = [
    {
        selector: 'node',
        style: {
            'shape': 'round-rectangle',
            'label': 'data(label)',
            'text-valign': 'center',
            'text-halign': 'center',
            'font-size': 11,
            'font-family': 'monospace',
            'width': 'label',
            'height': 24,
            'padding': '6px',
            'background-color': '#e8f5e9',
            'border-width': 1,
            'border-color': '#2e7d32',
            'text-wrap': 'ellipsis',
            'text-max-width': 320,
        },
    },
    { selector: 'node.proc-snapshot', style: { 'background-color': '#e3f2fd', 'border-color': '#1565c0' } },
    { selector: 'node.inferred', style: { 'background-color': '#f5f5f5', 'border-color': '#757575', 'border-style': 'dashed' } },
    { selector: 'node.no-exec', style: { 'border-style': 'dashed' } },
    { selector: 'node.group', style: { 'background-color': '#fff3e0', 'border-color': '#e65100', 'border-width': 2, 'font-weight': 'bold' } },
    { selector: 'node.root', style: { 'border-width': 3 } },
    { selector: 'node:selected', style: { 'border-color': '#6a1b9a', 'border-width': 3 } },
    {
        selector: 'edge',
        style: {
            'width': 1.5,
            'line-color': '#9e9e9e',
            'target-arrow-color': '#9e9e9e',
            'target-arrow-shape': 'triangle',
            'curve-style': 'bezier',
        },
    },
    { selector: 'edge.exec', style: { 'line-style': 'dashed', 'line-color': '#6a1b9a', 'target-arrow-color': '#6a1b9a' } },
];

function layout(cy, rootId, fit) {
    cy.layout({
        name: 'breadthfirst',
        directed: true,
        roots: rootId ? [rootId] : undefined,
        spacingFactor: 1.1,
        fit,
        padding: 24,
        animate: !fit,
        animationDuration: 250,
    }).run();
}

export async function create(element, dotnet, graph) {
    const cytoscape = await loadCytoscape();
    const cy = cytoscape({
        container: element,
        elements: elementsOf(graph),
        style,
        wheelSensitivity: 0.3,
        minZoom: 0.05,
        maxZoom: 4,
    });
    cy.on('tap', 'node', evt => dotnet.invokeMethodAsync('NodeClicked', evt.target.id()));
    element.execDashboardGraph = cy;
    element.dataset.nodes = String(cy.nodes().length);
    layout(cy, graph.rootId, true);

    // The container may get its final size only after first render (scoped CSS, a MudBlazor grid),
    // and a fit against a zero-height box zooms in until one node fills the view. Refit whenever
    // the box changes size, until the person pans or zooms themselves.
    cy.one('dragpan scrollzoom pinchzoom', () => { element.execDashboardUserMoved = true; });
    const refit = () => {
        cy.resize();
        if (!element.execDashboardUserMoved) {
            fitReadable(cy);
        }
    };
    element.execDashboardResize = new ResizeObserver(refit);
    element.execDashboardResize.observe(element);
    refit();
}

// Fits the graph but never magnifies past 1.5x: a graph of two nodes should look like one of twenty.
function fitReadable(cy) {
    cy.fit(undefined, 24);
    if (cy.zoom() > 1.5) {
        cy.zoom(1.5);
        cy.center();
    }
}

// Adds what is new, updates counts and labels, removes what is gone; keeps the viewport.
export function update(element, graph) {
    const cy = element.execDashboardGraph;
    if (!cy) {
        return;
    }

    const wanted = elementsOf(graph);
    const ids = new Set(wanted.map(e => e.data.id));
    let changedShape = false;
    cy.batch(() => {
        cy.elements().forEach(e => {
            if (!ids.has(e.id())) {
                e.remove();
                changedShape = true;
            }
        });
        for (const e of wanted) {
            const existing = cy.getElementById(e.data.id);
            if (existing.nonempty()) {
                existing.data(e.data);
            } else if (e.group === 'nodes') {
                // New nodes start beside their parent, then the layout moves them into place.
                const edge = graph.edges.find(x => x.target === e.data.id);
                const parent = edge ? cy.getElementById(edge.source) : cy.collection();
                const at = parent.nonempty() ? parent.position() : { x: 0, y: 0 };
                cy.add({ ...e, position: { x: at.x, y: at.y + 60 } });
                changedShape = true;
            }
        }
        for (const e of wanted) {
            if (e.group === 'edges' && cy.getElementById(e.data.id).empty()) {
                cy.add(e);
                changedShape = true;
            }
        }
    });
    element.dataset.nodes = String(cy.nodes().length);
    if (changedShape) {
        layout(cy, graph.rootId, false);
    }
}

export function dispose(element) {
    element.execDashboardResize?.disconnect();
    element.execDashboardGraph?.destroy();
    delete element.execDashboardGraph;
}
