import { metricSampleValue, parseMetricSamples } from './metric-samples';

const TEXT = `# HELP demo_seconds A demo.
# TYPE demo_seconds histogram
demo_seconds_bucket{le="0.5",route="/a/:id",service="x"} 3
demo_seconds_bucket{le="+Inf",route="/a/:id",service="x"} 4
demo_seconds_count{route="/a/:id",service="x"} 4
demo_seconds_count{route="say \\"hi\\", then \\\\",service="x"} 1
up 1
`;

describe('parseMetricSamples', () => {
  it('reads names, labels and values, escapes and infinities included', () => {
    expect(parseMetricSamples(TEXT)).toEqual([
      {
        name: 'demo_seconds_bucket',
        labels: { le: '0.5', route: '/a/:id', service: 'x' },
        value: 3,
      },
      {
        name: 'demo_seconds_bucket',
        labels: { le: '+Inf', route: '/a/:id', service: 'x' },
        value: 4,
      },
      { name: 'demo_seconds_count', labels: { route: '/a/:id', service: 'x' }, value: 4 },
      {
        name: 'demo_seconds_count',
        labels: { route: 'say "hi", then \\', service: 'x' },
        value: 1,
      },
      { name: 'up', labels: {}, value: 1 },
    ]);
  });

  it('finds a sample by name and some of its labels', () => {
    expect(metricSampleValue(TEXT, 'demo_seconds_count', { route: '/a/:id' })).toBe(4);
    expect(metricSampleValue(TEXT, 'demo_seconds_count', { route: '/b' })).toBeUndefined();
    expect(metricSampleValue(TEXT, 'demo_seconds', { route: '/a/:id' })).toBeUndefined();
  });
});
