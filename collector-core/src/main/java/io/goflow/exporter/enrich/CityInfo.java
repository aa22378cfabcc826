package io.goflow.exporter.enrich;

/**
 * The labels of one city series: English name, country and the coordinates (degrees) of the
 * first network seen for it. A City database gives coordinates per network, so two networks of
 * one city may differ slightly; the first one seen is kept for the life of the process so that
 * the series' labels never change.
 */
record CityInfo(String name, String country, double latitude, double longitude)
{
}
