using Blazor.Diagrams.Core.Anchors;
using Blazor.Diagrams.Core.Geometry;
using Blazor.Diagrams.Core.Models;
using Blazor.Diagrams.Core.Models.Base;

namespace ExecDashboard.Web.Components.Controls;

/// <summary>From the middle of the parent's bottom edge to the middle of the child's top edge.</summary>
public sealed class ProcessGraphLinkModel : LinkModel
{
    public ProcessGraphLinkModel(ProcessGraphEdgeDto edge, NodeModel parent, NodeModel child)
        : base(edge.Id, new EdgeAnchor(parent, bottom: true), new EdgeAnchor(child, bottom: false))
    {
        Edge = edge;
        foreach (var bend in edge.Route)
        {
            AddVertex(new Point(bend.X, bend.Y));
        }
    }

    public ProcessGraphEdgeDto Edge { get; }

    /// <summary>Same process, next program (drawn dashed), rather than a child process.</summary>
    public bool IsExec => Edge.Kind == "exec";

    /// <summary>Whether this link can stay as it is for <paramref name="edge"/> (same ends and bends).</summary>
    public bool Draws(ProcessGraphEdgeDto edge) =>
        edge.Source == Edge.Source && edge.Target == Edge.Target && edge.Kind == Edge.Kind && edge.Route.SequenceEqual(Edge.Route);

    /// <summary>A fixed point on a node's edge: a tree reads top-down, so links need no shape intersections.</summary>
    private sealed class EdgeAnchor(NodeModel node, bool bottom) : Anchor(node)
    {
        public override Point? GetPosition(BaseLinkModel link, Point[] route) => GetPlainPosition();

        public override Point? GetPlainPosition() => node.Size is null
            ? null
            : new Point(node.Position.X + (node.Size.Width / 2), node.Position.Y + (bottom ? node.Size.Height : 0));
    }
}
