using ExecDashboard.Web;

var app = DashboardApp.Build(args);
app.Run();
