using Fanout.Diagnostics;
using OpenTelemetry.Metrics;

namespace Fanout.AspNetCore.Diagnostics;

/// <summary>
/// <c>GET /metrics</c>: OpenTelemetry collects the <see cref="FanoutMetrics.MeterName"/> meter,
/// ASP.NET Core's and Kestrel's meters and the .NET runtime's, and exposes them in
/// Prometheus text. Dots become underscores, counters get <c>_total</c>, a unit of
/// seconds gets <c>_seconds</c> (<c>fanout.sse.write.duration</c> is
/// <c>fanout_sse_write_duration_seconds</c>).
/// </summary>
public static class MetricsPipeline
{
    public const string Path = "/metrics";

    private const string KestrelMemoryPoolMeter = "Microsoft.AspNetCore.MemoryPool";

    public static IServiceCollection AddFanoutMetrics(this IServiceCollection services)
    {
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(FanoutMetrics.MeterName)
            .AddAspNetCoreInstrumentation()
            .AddRuntimeInstrumentation()

            // Kestrel's memory pool meter records every buffer rented and returned: on a
            // fan-out node that is several per delivered batch, a measurable share of CPU
            // for figures nobody alerts on.
            .AddView(instrument => instrument.Meter.Name == KestrelMemoryPoolMeter ? MetricStreamConfiguration.Drop : null)
            .AddPrometheusExporter());

        // Registered after OpenTelemetry's own hosted service, so it starts once the exporter listens.
        services.AddHostedService<ZeroSeries>();
        services.AddSingleton<MetricsAccess>();
        return services;
    }

    /// <summary>Maps <see cref="Path"/> behind <see cref="MetricsAccess"/>: series name topics, which auth may hide.</summary>
    public static IEndpointRouteBuilder MapFanoutMetrics(this IEndpointRouteBuilder app)
    {
        app.MapPrometheusScrapingEndpoint(Path, meterProvider: null, configureBranchedPipeline: branch => branch.Use(async (context, next) =>
        {
            if (await context.RequestServices.GetRequiredService<MetricsAccess>().CheckAsync(context) is { } refused)
            {
                await refused.ExecuteAsync(context);
                return;
            }

            await next(context);
        }), optionsName: null);
        return app;
    }

    /// <summary>Exports Fanout's counters at 0 once OpenTelemetry listens (see <see cref="FanoutMetrics.ExportZeros"/>).</summary>
    private sealed class ZeroSeries(FanoutMetrics metrics) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            metrics.ExportZeros();
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
