namespace ExecDashboard.Web.Components.Model;

public static class ViewServiceRegistration
{
    /// <summary>What the pages need beyond the store: the live analysis and per-tab view state.</summary>
    public static IServiceCollection AddDashboardViews(this IServiceCollection services)
    {
        services.AddSingleton<LiveExecAnalysis>();
        services.AddHostedService(sp => sp.GetRequiredService<LiveExecAnalysis>());
        services.AddSingleton<RecordingAnalyses>();
        services.AddScoped<ViewedSession>();
        return services;
    }
}
