// Activity chart: requests and errors per time bucket, with uPlot from its WebJar.
import uPlot from '/vendor/uplot/uPlot.esm.js';
import { el } from './dom.js';

export function activityChart(items, width) {
  const node = el('div', { class: 'chart', id: 'activity' });
  if (!items.length) return node;
  const times = items.map(r => Date.parse(r.time) / 1000);
  const min = Math.min(...times), max = Math.max(...times);
  const buckets = 60;
  const step = Math.max((max - min) / buckets, 1);
  const xs = [], reqs = [], errs = [], events = [], flags = [];
  for (let i = 0; i <= buckets; i++) { xs.push(min + i * step); reqs.push(0); errs.push(0); events.push(0); flags.push(null); }
  items.forEach((r, i) => {
    const b = Math.min(buckets, Math.floor((times[i] - min) / step));
    if (r.kind === 'finding') { flags[b] = (flags[b] || 0) + 1; return; }
    if (r.kind === 'exchange') reqs[b]++; else events[b]++;
    if (r.error) errs[b]++;
  });
  const opts = {
    width: Math.max(width, 300), height: 160,
    scales: { x: { time: true } },
    series: [
      {},
      { label: 'requests', stroke: '#3b6ea8', fill: 'rgba(59,110,168,0.15)', paths: uPlot.paths.bars({ size: [0.9, 40] }) },
      { label: 'IdP events', stroke: '#7a5ca8', fill: 'rgba(122,92,168,0.15)', paths: uPlot.paths.bars({ size: [0.5, 20] }) },
      { label: 'errors', stroke: '#c0392b', fill: 'rgba(192,57,43,0.55)', paths: uPlot.paths.bars({ size: [0.9, 40] }) },
      // Findings as points on top: a bucket with a finding shows a marker, whatever the request volume.
      { label: 'findings', stroke: '#d35400', width: 0, points: { show: true, size: 12, fill: '#d35400', stroke: '#7f3300' }, paths: () => null },
    ],
    axes: [{}, { label: 'per bucket' }],
  };
  node.setAttribute('data-findings', String(flags.reduce((a, f) => a + (f || 0), 0)));
  new uPlot(opts, [xs, reqs, events, errs, flags], node);
  return node;
}
