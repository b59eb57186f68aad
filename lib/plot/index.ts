/**
 * `polymorph/plot`: figures of polymorph results as Vega-Lite specifications (JSON), which
 * Jupyter front ends render natively (`figure.mimeBundle()`, or `figure.spec` wherever Vega-Lite
 * is understood), and which render headless to SVG (`figure.toSvg()`, `figure.writeSvg(path)`)
 * with the `vega` and `vega-lite` packages for files and reports; {@link report} writes a study as a
 * self-contained HTML page.
 * @module plot
 */
export { Figure, VEGA_LITE_MIME } from './figure';
export type { VegaLiteSpec } from './figure';
export { compositionChart, confusionMatrixChart, criticalTemperatureChart, growthCurves, lineChart, meltingCurve } from './charts';
export type { ChartOptions, CompositionChartOptions, CriticalPoint, LineChartOptions, Series } from './charts';
export { featureSelectionChart, groupLassoPathChart, learningCurveChart } from './training-charts';
export type { ChartUnits, FeatureSelectionPoint, LearningCurveOptions, LearningCurvePoint } from './training-charts';
export { report } from './report';
export type { ReportFiles, ReportSection, ReportTable, Study } from './report';
export { chargeStudySection, latticeErrorChart, MODEL_LABELS, nanoparticleChart, parityChart, phononDosChart, polymorphEnergyChart, rdfComparisonChart, surfaceEnergyChart } from './model-charts';
export type { ParityChartOptions } from './model-charts';
