using Blazor.Diagrams.Core.Geometry;
using Blazor.Diagrams.Core.Models;

namespace ExecDashboard.Web.Components.Controls;

/// <summary>
/// One node of the diagram. Its size comes from our layout (<see cref="NodeModel.ControlledSize"/>),
/// so the library never asks the browser to measure it: no JS interop per node. Locked: a tree
/// laid out for reading is not rearranged by dragging.
/// </summary>
public sealed class ProcessGraphNodeModel : NodeModel
{
    public ProcessGraphNodeModel(ProcessGraphNodeDto dto)
        : base(dto.Id, new Point(dto.X, dto.Y))
    {
        Dto = dto;
        Size = new Size(dto.Width, dto.Height);
        ControlledSize = true;
        Locked = true;
    }

    public ProcessGraphNodeDto Dto { get; private set; }

    /// <summary>Takes the node's new text and place; redraws it (and its links) only when something changed.</summary>
    public void Update(ProcessGraphNodeDto dto)
    {
        if (dto == Dto)
        {
            return;
        }

        var moved = dto.X != Dto.X || dto.Y != Dto.Y || dto.Width != Dto.Width;
        Dto = dto;
        Size = new Size(dto.Width, dto.Height);
        if (moved)
        {
            SetPosition(dto.X, dto.Y); // refreshes the node and its links
        }
        else
        {
            Refresh();
        }
    }
}
