/**
 * Settings records, one per configuration section, and
 * {@link io.goflow.exporter.config.ConfigLoader}, which reads the YAML file into them with errors
 * that name the line and key. Immutable once loaded; read by every stage at start.
 */
package io.goflow.exporter.config;
