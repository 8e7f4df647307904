using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace ExecDashboard.Web.Components.Controls;

/// <summary>
/// The descendant tree, drawn by cytoscape.js in <c>ProcessGraph.razor.js</c>: C# hands it
/// immutable <see cref="ProcessGraphDto"/>s, the module draws them (pan, zoom), adds only what is
/// new on each update and keeps the viewport; a click on a node comes back as <see cref="OnNodeSelected"/>.
/// </summary>
public sealed partial class ProcessGraph
{
    private ElementReference _canvas;
    private IJSObjectReference? _module;
    private DotNetObjectReference<ProcessGraph>? _self;
    private ProcessGraphDto? _drawn;

    [Inject]
    public required IJSRuntime JS { get; init; }

    [Parameter, EditorRequired]
    public required ProcessGraphDto Graph { get; set; }

    [Parameter]
    public EventCallback<ProcessGraphNodeDto> OnNodeSelected { get; set; }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender)
        {
            _self = DotNetObjectReference.Create(this);
            _module = await JS.InvokeAsync<IJSObjectReference>("import", "./Components/Controls/ProcessGraph.razor.js");
            _drawn = Graph;
            await _module.InvokeVoidAsync("create", _canvas, _self, Graph);
        }
        else if (_module is not null && !ReferenceEquals(_drawn, Graph))
        {
            _drawn = Graph;
            await _module.InvokeVoidAsync("update", _canvas, Graph);
        }
    }

    /// <summary>Called by the module when a node is clicked.</summary>
    [JSInvokable]
    public Task NodeClicked(string id)
    {
        var node = Graph.Nodes.FirstOrDefault(n => n.Id == id);
        return node is null ? Task.CompletedTask : OnNodeSelected.InvokeAsync(node);
    }

    public async ValueTask DisposeAsync()
    {
        if (_module is not null)
        {
            try
            {
                await _module.InvokeVoidAsync("dispose", _canvas);
                await _module.DisposeAsync();
            }
            catch (JSDisconnectedException)
            {
                // The browser left first; nothing is drawn any more.
            }
        }

        _self?.Dispose();
    }
}
