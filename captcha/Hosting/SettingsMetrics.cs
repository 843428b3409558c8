using System.Globalization;
using System.Text;
using RedisRing.Captcha.Settings;

namespace RedisRing.Captcha.Hosting;

/// <summary>
/// <c>GET /metrics</c> in the Prometheus text format: this process's view of the site settings. The
/// age is the staleness to alert on: it grows while the source is unreachable, though the workers
/// keep serving the last loaded settings.
/// </summary>
internal static class SettingsMetrics
{
    public static IResult Write(SettingsStatus s)
    {
        var text = new StringBuilder(1024);
        Gauge(text, "captcha_settings_sites", "Sites in the settings cache.", s.Sites);
        Gauge(text, "captcha_settings_loaded", "1 once settings were ever loaded.", s.Loaded ? 1 : 0);
        Gauge(text, "captcha_settings_age_seconds", "Seconds since the last successful load from the source (-1: never).", s.Age?.TotalSeconds ?? -1);
        Gauge(text, "captcha_settings_stale", "1 when the settings are older than the staleness threshold.", s.Stale ? 1 : 0);
        Gauge(text, "captcha_settings_generation", "Completed loads of the settings cache.", s.Generation);
        Gauge(text, "captcha_settings_loader", "1 while this process is the one reading the source.", s.IsLoader ? 1 : 0);
        Counter(text, "captcha_settings_source_reads_total", "Reads of the settings source by this process.", s.SourceReads);
        Counter(text, "captcha_settings_source_failures_total", "Failed loads by this process.", s.SourceFailures);
        Gauge(text, "captcha_settings_cache_used_bytes", "Bytes of the shared cache holding records (once per host).", s.CacheUsedBytes);
        Counter(text, "captcha_settings_cache_lookups_total", "Shared cache lookups by this process (approximate).", s.CacheLookups);
        Counter(text, "captcha_settings_cache_retries_total", "Shared cache lookups read again because the loader changed the record.", s.CacheRetries);
        // Per process, to see what each worker holds beyond the shared pages.
        var gc = GC.GetGCMemoryInfo();
        Gauge(text, "captcha_process_managed_heap_bytes", "Managed heap size after the last collection.", gc.HeapSizeBytes);
        Gauge(text, "captcha_process_gc_committed_bytes", "Memory the garbage collector holds committed.", gc.TotalCommittedBytes);
        return Results.Text(text.ToString(), "text/plain; version=0.0.4", Encoding.UTF8);
    }

    private static void Gauge(StringBuilder text, string name, string help, double value) => Metric(text, name, help, "gauge", value);

    private static void Counter(StringBuilder text, string name, string help, double value) => Metric(text, name, help, "counter", value);

    private static void Metric(StringBuilder text, string name, string help, string type, double value) =>
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n')
            .Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n')
            .Append(name).Append(' ').Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
}
