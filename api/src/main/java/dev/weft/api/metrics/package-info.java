/**
 * The metrics listener SPI: what every Weft transport reports about its connections, for a
 * monitoring system to count.
 *
 * <ul>
 * <li>{@link dev.weft.api.metrics.WebSocketMetrics}: one per server or client (or shared by
 *     several), told of sockets, bytes, refusals and the memory budget, and asked for a
 *     {@link dev.weft.api.metrics.ConnectionMetrics} as each WebSocket connection opens.</li>
 * <li>{@link dev.weft.api.metrics.ConnectionMetrics}: the events of one connection (messages,
 *     the write queue, the budget, the close with its code and {@link dev.weft.api.metrics.CloseSide}).</li>
 * <li>{@link dev.weft.api.metrics.MemoryUse}: a live view of a memory budget, for gauges.</li>
 * </ul>
 *
 * <p>Every event carries primitives or constants, so a listener costs no allocation per message:
 * what it needs per connection (counters resolved for the connection's endpoint, say) it makes
 * once, when {@link dev.weft.api.metrics.WebSocketMetrics#opened} is called. The default listener,
 * {@link dev.weft.api.metrics.WebSocketMetrics#NONE}, does nothing. {@code weft-metrics-micrometer}
 * binds the SPI to Micrometer.
 */
package dev.weft.api.metrics;
