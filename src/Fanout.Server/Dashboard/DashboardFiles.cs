using Microsoft.Extensions.FileProviders;

namespace Fanout.Server.Dashboard;

/// <summary>
/// Serves the dashboard (plain HTML, CSS and JavaScript from <c>wwwroot</c>) at <c>/</c>.
/// The files ship beside the executable, like the HOCON files, so the page is there
/// whatever the working directory, in tests and in a published node alike.
/// </summary>
public static class DashboardFiles
{
    public const string Folder = "wwwroot";

    // The page builds every element from text (no inline script or style) and talks only to
    // its own node. It sends the token as a header, never in a URL; no-referrer stays so a
    // topic in the page's own URL (?topic=) does not travel either.
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public static WebApplication UseDashboard(this WebApplication app)
    {
        var root = Path.Combine(AppContext.BaseDirectory, Folder);
        if (!Directory.Exists(root))
        {
            app.Logger.LogWarning("Dashboard folder '{Folder}' is missing: the page at / is not served.", root);
            return app;
        }

        var files = new PhysicalFileProvider(root);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            OnPrepareResponse = context =>
            {
                var headers = context.Context.Response.Headers;
                headers.CacheControl = "no-cache";
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
            },
        });
        return app;
    }
}
