/**
 * Logging for operators: {@link io.goflow.exporter.log.RateLimitedLogger} keeps error paths that
 * can fire per datagram to one line per interval. Thread-safe.
 */
package io.goflow.exporter.log;
