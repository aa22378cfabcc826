/**
 * Receive stage: one {@link io.goflow.exporter.receive.DatagramReader} thread per (protocol,
 * address, port) listener, blocking on its own {@code DatagramChannel} and copying each datagram
 * into the ring without blocking.
 *
 * <p>Listeners come from {@link io.goflow.exporter.receive.ListenerPlan} ({@code server.*}
 * settings: ports and listen addresses, an interface's addresses, or explicit listeners with
 * allow-lists). IPv6 wildcards bind first so that a dual-stack {@code [::]} already covers a
 * {@code 0.0.0.0} on the same port. Every datagram is counted once in
 * {@link io.goflow.exporter.receive.ReceiveCounters}: published, or dropped as {@code queue_full},
 * {@code allow_list} or {@code truncated}. Kernel-side drops (receive buffer full) are read from
 * {@code /proc/net/udp} by {@link io.goflow.exporter.receive.KernelUdpDrops}.
 *
 * <p>Exported view: {@link io.goflow.exporter.receive.ListenerStats} per reader (the listener as
 * bound and its {@link io.goflow.exporter.receive.ReceiveStats}, the read side of the reader
 * thread's single-writer {@code ReceiveCounters}); the exposition reads nothing else of a reader.
 */
package io.goflow.exporter.receive;
