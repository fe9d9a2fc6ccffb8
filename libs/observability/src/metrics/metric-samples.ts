/** One line of the Prometheus text format: `name{label="value",...} 42`. */
export interface MetricSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const SAMPLE_LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL_PAIR = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;
const SPECIAL_VALUES: Record<string, number> = { '+Inf': Infinity, '-Inf': -Infinity, NaN };

/** Reads what `/metrics` served, as a scraper would; comments (HELP, TYPE) are skipped. */
export function parseMetricSamples(text: string): MetricSample[] {
  const samples: MetricSample[] = [];
  for (const line of text.split('\n')) {
    const match = SAMPLE_LINE.exec(line);
    if (!match) continue;
    const [, name, labelText = '', rawValue] = match;
    const labels: Record<string, string> = {};
    for (const [, label, value] of labelText.matchAll(LABEL_PAIR)) {
      labels[label] = value.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    }
    samples.push({ name, labels, value: SPECIAL_VALUES[rawValue] ?? Number(rawValue) });
  }
  return samples;
}

/** The value of the first sample of `name` carrying all of `labels` (others may be there too). */
export function metricSampleValue(
  text: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  return parseMetricSamples(text).find(
    (sample) =>
      sample.name === name &&
      Object.entries(labels).every(([label, value]) => sample.labels[label] === value),
  )?.value;
}
