namespace ExecDashboard.Web.Storage;

public enum SessionDeletion
{
    Deleted,
    NotFound,

    /// <summary>The session is recording; it cannot be deleted until its collectors leave.</summary>
    Active,
}
