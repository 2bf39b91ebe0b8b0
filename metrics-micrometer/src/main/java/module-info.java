/**
 * Binds Weft's metrics listener SPI ({@code dev.weft.api.metrics}) to Micrometer: see
 * {@link dev.weft.metrics.micrometer.MicrometerMetrics}.
 */
module dev.weft.metrics.micrometer {
    requires transitive dev.weft.api;
    requires transitive micrometer.core;

    exports dev.weft.metrics.micrometer;
}
