namespace ExecDashboard.Web.Components.Model;

public static class ViewServiceRegistration
{
    /// <summary>What the pages need beyond the store: analytics of stored sessions and per-tab view state.</summary>
    public static IServiceCollection AddDashboardViews(this IServiceCollection services)
    {
        services.AddSingleton<RecordingAnalyses>();
        services.AddScoped<ViewedSession>();
        return services;
    }
}
