// Package render draws the forecast charts and formats numbers for people.
//
// It is the product's one presentation style: every chart is built with New,
// which sets the fonts, palette, grid and title/subtitle layout, so that
// charts pasted side by side into a quarterly business review look alike and
// stay readable when printed in greyscale (series differ in lightness and in
// dash pattern, never in hue alone).
//
// Number formatting for people lives in Money, Ratio, Percent, Duration and
// Count ("$4.2M", "3.1x", "82.4%", "2h 15m", "12,345"); programs should keep
// full precision instead (CSV, JSON). The axis tickers MoneyTicks,
// PercentTicks, RatioTicks and CountTicks use the same formats on round
// 1-2-5 steps.
//
// Chart builders (RevenueHistogram, Funnel, FunnelPath, CoverageHistogram,
// SLACompliance, ResponseTimes, ResponseSample, and the what-if and
// calibration charts) take plain slices, return a *plot.Plot whose
// title states the finding, and never write files; Save writes a plot to a
// PNG or SVG file atomically. Builders do not panic on empty, constant or
// NaN-laden data: they return a plot that says there is no data. They panic,
// with the prefix "render: ", only on programmer errors such as slices of
// mismatched lengths.
package render
