using Blazor.Diagrams;
using Blazor.Diagrams.Core.Behaviors;
using Blazor.Diagrams.Core.Events;
using Blazor.Diagrams.Core.Models;
using Blazor.Diagrams.Core.Models.Base;
using DiagramModel = Blazor.Diagrams.Core.Models.Base.Model;
using Blazor.Diagrams.Core.PathGenerators;
using Blazor.Diagrams.Options;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace ExecDashboard.Web.Components.Controls;

/// <summary>
/// The process tree, drawn by Blazor.Diagrams from laid-out <see cref="ProcessGraphDto"/>s: each
/// update adds what is new, moves what moved and removes what is gone, and keeps the viewport once
/// the person has panned or zoomed (until then the whole tree stays in view). A click on a node
/// comes back as <see cref="OnNodeSelected"/>; hovering one shows its argv, cwd, uid and time.
/// </summary>
public sealed partial class ProcessGraph : IDisposable
{
    private const double ZoomStep = 1.25;
    private const double FitMargin = 24;

    /// <summary>Fitting a tree of two nodes should not magnify them past this.</summary>
    private const double MaxFitZoom = 1.5;

    private readonly BlazorDiagram _diagram = CreateDiagram();
    private readonly Dictionary<string, ProcessGraphNodeModel> _nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ProcessGraphLinkModel> _links = new(StringComparer.Ordinal);
    private ProcessGraphDto? _drawn;
    private ProcessGraphNodeDto? _hovered;
    private string? _rootKey;
    private bool _userMoved;
    private bool _fitting;
    private bool _ready;
    private bool _disposed;
    private ElementReference _graphElement;

    [Parameter, EditorRequired]
    public required ProcessGraphDto Graph { get; set; }

    [Parameter]
    public EventCallback<ProcessGraphNodeDto> OnNodeSelected { get; set; }

    [Inject]
    private IJSRuntime JS { get; set; } = null!;

    internal BlazorDiagram Diagram => _diagram;

    protected override void OnInitialized()
    {
        _diagram.PointerClick += OnPointerClick;
        _diagram.PointerEnter += OnPointerEnter;
        _diagram.PointerLeave += OnPointerLeave;
        _diagram.PanChanged += OnViewportChanged;
        _diagram.ZoomChanged += OnViewportChanged;
        _diagram.ContainerChanged += OnContainerChanged;
    }

    protected override void OnParametersSet()
    {
        if (!ReferenceEquals(_drawn, Graph))
        {
            _drawn = Graph;
            Draw(Graph);
        }
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender)
        {
            return;
        }

        try
        {
            await using var module = await JS.InvokeAsync<IJSObjectReference>("import", "./Components/Controls/ProcessGraph.razor.js");
            await module.InvokeVoidAsync("keepWheelInGraph", _graphElement);
        }
        catch (JSDisconnectedException)
        {
            // The tab closed while the graph first rendered: there is no page left to scroll.
        }
    }

    private static BlazorDiagram CreateDiagram()
    {
        var options = new BlazorDiagramOptions { AllowMultiSelection = false };
        options.Zoom.Minimum = 0.05;
        options.Zoom.Maximum = 2.5;
        options.Zoom.ScaleFactor = 1.1;

        // Only what is in view is rendered once the person zooms in on a large tree.
        options.Virtualization.Enabled = true;
        options.Virtualization.OnNodes = true;
        options.Links.DefaultPathGenerator = new StraightPathGenerator();
        options.Constraints.ShouldDeleteNode = _ => ValueTask.FromResult(false);
        options.Constraints.ShouldDeleteLink = _ => ValueTask.FromResult(false);
        var diagram = new BlazorDiagram(options);

        // A read-only picture: no selecting, dragging, new links or Delete key.
        diagram.UnregisterBehavior<SelectionBehavior>();
        diagram.UnregisterBehavior<DragMovablesBehavior>();
        diagram.UnregisterBehavior<DragNewLinkBehavior>();
        diagram.UnregisterBehavior<KeyboardShortcutsBehavior>();
        diagram.RegisterComponent<ProcessGraphNodeModel, ProcessGraphNodeWidget>();
        diagram.RegisterComponent<ProcessGraphLinkModel, ProcessGraphLinkWidget>();
        return diagram;
    }

    /// <summary>Brings the diagram to <paramref name="graph"/> in one batch (one canvas render).</summary>
    private void Draw(ProcessGraphDto graph)
    {
        // Another process opened in the same view: start from the whole tree again.
        var rootKey = graph.Nodes.FirstOrDefault(n => n.Kind == "root")?.Key;
        if (rootKey != _rootKey)
        {
            _rootKey = rootKey;
            _userMoved = false;
        }

        var wantedNodes = graph.Nodes.Select(n => n.Id).ToHashSet(StringComparer.Ordinal);
        var wantedLinks = graph.Edges.ToDictionary(e => e.Id, StringComparer.Ordinal);
        _diagram.Batch(() =>
        {
            // A link whose ends moved gets new bends: replace it (links are cheap, nodes are kept).
            var goneLinks = _links.Where(l => !wantedLinks.TryGetValue(l.Key, out var edge) || !l.Value.Draws(edge)).ToList();
            _diagram.Links.Remove(goneLinks.Select(l => (BaseLinkModel)l.Value));
            goneLinks.ForEach(l => _links.Remove(l.Key));
            var goneNodes = _nodes.Where(n => !wantedNodes.Contains(n.Key)).ToList();
            _diagram.Nodes.Remove(goneNodes.Select(n => (NodeModel)n.Value));
            goneNodes.ForEach(n => _nodes.Remove(n.Key));

            var added = new List<ProcessGraphNodeModel>();
            foreach (var dto in graph.Nodes)
            {
                if (_nodes.TryGetValue(dto.Id, out var model))
                {
                    model.Update(dto);
                }
                else
                {
                    model = new ProcessGraphNodeModel(dto);
                    _nodes[dto.Id] = model;
                    added.Add(model);
                }
            }

            _diagram.Nodes.Add(added);
            var links = new List<ProcessGraphLinkModel>();
            foreach (var edge in graph.Edges)
            {
                if (!_links.ContainsKey(edge.Id) && _nodes.TryGetValue(edge.Source, out var source) && _nodes.TryGetValue(edge.Target, out var target))
                {
                    var link = new ProcessGraphLinkModel(edge, source, target);
                    _links[edge.Id] = link;
                    links.Add(link);
                }
            }

            _diagram.Links.Add(links);
        });

        if (_hovered is not null && !wantedNodes.Contains(_hovered.Id))
        {
            _hovered = null;
        }

        if (!_userMoved)
        {
            Fit();
        }
    }

    private void ZoomIn() => ZoomAroundCentre(ZoomStep);

    private void ZoomOut() => ZoomAroundCentre(1 / ZoomStep);

    /// <summary>The whole tree in view again, and kept in view as it grows.</summary>
    private void ZoomToFit()
    {
        _userMoved = false;
        Fit();
    }

    private void Fit()
    {
        if (_diagram.Container is not { Width: > 0, Height: > 0 } || _diagram.Nodes.Count == 0)
        {
            return;
        }

        _fitting = true;
        try
        {
            _diagram.ZoomToFit(FitMargin);
            if (_diagram.Zoom > MaxFitZoom)
            {
                SetZoomAround(MaxFitZoom, _diagram.Container.Width / 2, FitMargin);
            }
        }
        finally
        {
            _fitting = false;
        }
    }

    private void ZoomAroundCentre(double factor)
    {
        if (_diagram.Container is not { Width: > 0 } container)
        {
            return;
        }

        var zoom = Math.Clamp(_diagram.Zoom * factor, _diagram.Options.Zoom.Minimum, _diagram.Options.Zoom.Maximum);
        SetZoomAround(zoom, container.Width / 2, container.Height / 2);
    }

    /// <summary>Zooms keeping the diagram point under (<paramref name="x"/>, <paramref name="y"/>) of the canvas in place.</summary>
    private void SetZoomAround(double zoom, double x, double y)
    {
        var scale = zoom / _diagram.Zoom;
        var pan = _diagram.Pan;
        _diagram.Batch(() =>
        {
            _diagram.SetZoom(zoom);
            _diagram.SetPan(x - ((x - pan.X) * scale), y - ((y - pan.Y) * scale));
        });
    }

    private void OnViewportChanged()
    {
        if (!_fitting)
        {
            _userMoved = true;
        }
    }

    private void OnContainerChanged()
    {
        if (!_userMoved)
        {
            Fit();
        }

        if (!_ready && _diagram.Container is { Width: > 0 })
        {
            // The canvas is measured and the tree fitted: from now on a click lands on a node.
            _ready = true;
            Rerender();
        }
    }

    private void OnPointerClick(DiagramModel? model, PointerEventArgs e)
    {
        if (model is ProcessGraphNodeModel node && !_disposed)
        {
            _ = InvokeAsync(() => OnNodeSelected.InvokeAsync(node.Dto));
        }
    }

    private void OnPointerEnter(DiagramModel? model, PointerEventArgs e)
    {
        if (model is ProcessGraphNodeModel node)
        {
            _hovered = node.Dto;
            Rerender();
        }
    }

    private void OnPointerLeave(DiagramModel? model, PointerEventArgs e)
    {
        if (model is ProcessGraphNodeModel node && ReferenceEquals(_hovered, node.Dto))
        {
            _hovered = null;
            Rerender();
        }
    }

    private void Rerender()
    {
        if (!_disposed)
        {
            _ = InvokeAsync(StateHasChanged);
        }
    }

    public void Dispose()
    {
        _disposed = true;
        _diagram.PointerClick -= OnPointerClick;
        _diagram.PointerEnter -= OnPointerEnter;
        _diagram.PointerLeave -= OnPointerLeave;
        _diagram.PanChanged -= OnViewportChanged;
        _diagram.ZoomChanged -= OnViewportChanged;
        _diagram.ContainerChanged -= OnContainerChanged;
    }
}
