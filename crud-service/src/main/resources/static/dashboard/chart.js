// A sensor's readings as a uPlot chart: per bucket the minimum, average and maximum, with the sensor's thresholds
// drawn across. uPlot comes from its WebJar, served by crud-service itself.
import uPlot from '../webjars/uplot/dist/uPlot.esm.js';

const THRESHOLDS = [
  { key: 'critHigh', label: 'critical high', colour: '--critical', dash: [8, 4] },
  { key: 'warnHigh', label: 'warning high', colour: '--warning', dash: [3, 4] },
  { key: 'warnLow', label: 'warning low', colour: '--warning', dash: [3, 4] },
  { key: 'critLow', label: 'critical low', colour: '--critical', dash: [8, 4] },
];

function colour(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#555';
}

/**
 * The columns uPlot draws: times in seconds, then min, avg and max. Empty buckets are left out by the API; a null
 * after a bucket whose successor is not the next interval makes uPlot break the line there instead of drawing
 * across a time without readings.
 */
export function columns(buckets, intervalSeconds) {
  const xs = [];
  const mins = [];
  const avgs = [];
  const maxs = [];
  buckets.forEach((bucket, i) => {
    const start = Date.parse(bucket.start) / 1000;
    xs.push(start);
    mins.push(bucket.min);
    avgs.push(bucket.avg);
    maxs.push(bucket.max);
    const next = buckets[i + 1];
    if (next && Date.parse(next.start) / 1000 > start + intervalSeconds) {
      xs.push(start + intervalSeconds);
      mins.push(null);
      avgs.push(null);
      maxs.push(null);
    }
  });
  return [xs, mins, avgs, maxs];
}

/** Draws the chart into container; returns a handle whose destroy() removes it. */
export function renderChart(container, { buckets, intervalSeconds, thresholds = {}, unit, from, to }) {
  const lines = THRESHOLDS.filter((t) => typeof thresholds[t.key] === 'number')
    .map((t) => ({ ...t, value: thresholds[t.key], stroke: colour(t.colour) }));
  const data = columns(buckets, intervalSeconds);
  // buckets are aligned to UTC, so the first one may start a little before the period
  const fromSeconds = Math.min(from.getTime() / 1000, data[0][0] ?? Infinity);
  // and the current bucket is shown whole
  const toSeconds = Math.max(to.getTime() / 1000, (data[0][data[0].length - 1] ?? -Infinity) + intervalSeconds);
  const few = buckets.length <= 60;
  const line = (label, stroke, width) => ({
    label, stroke, width, spanGaps: false, points: { show: few, size: 5 },
    value: (u, v) => (v == null ? '–' : `${v.toFixed(2)}${unit ? ` ${unit}` : ''}`),
  });
  const options = {
    width: Math.max(container.clientWidth, 280),
    height: container.clientWidth < 500 ? 240 : 320,
    scales: {
      x: { time: true, range: () => [fromSeconds, toSeconds] },
      y: {
        range: (u, min, max) => {
          const values = [min, max, ...lines.map((l) => l.value)].filter((v) => v != null && Number.isFinite(v));
          if (values.length === 0) {
            return [0, 1];
          }
          let low = Math.min(...values);
          let high = Math.max(...values);
          const pad = (high - low) * 0.08 || Math.abs(high) * 0.1 || 1;
          low -= pad;
          high += pad;
          return [low, high];
        },
      },
    },
    series: [
      { label: 'Time' },
      line('min', colour('--chart-min'), 1),
      line('avg', colour('--chart-avg'), 2.5),
      line('max', colour('--chart-max'), 1),
    ],
    axes: [
      { stroke: colour('--text'), grid: { stroke: colour('--grid') }, ticks: { stroke: colour('--grid') } },
      {
        stroke: colour('--text'), grid: { stroke: colour('--grid') }, ticks: { stroke: colour('--grid') },
        label: unit || undefined, size: 56,
      },
    ],
    hooks: { draw: [(u) => drawThresholds(u, lines)] },
  };
  const chart = new uPlot(options, data, container);
  const observer = new ResizeObserver(() => {
    const width = Math.max(container.clientWidth, 280);
    if (Math.abs(width - chart.width) > 4) {
      chart.setSize({ width, height: width < 500 ? 240 : 320 });
    }
  });
  observer.observe(container);
  return {
    destroy() {
      observer.disconnect();
      chart.destroy();
    },
  };
}

function drawThresholds(u, lines) {
  const { ctx } = u;
  const { left, top, width, height } = u.bbox;
  ctx.save();
  ctx.lineWidth = 1.5 * uPlot.pxRatio;
  ctx.font = `${12 * uPlot.pxRatio}px system-ui, sans-serif`;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'bottom';
  for (const threshold of lines) {
    const y = Math.round(u.valToPos(threshold.value, 'y', true));
    if (y < top || y > top + height) {
      continue;
    }
    ctx.strokeStyle = threshold.stroke;
    ctx.fillStyle = threshold.stroke;
    ctx.setLineDash(threshold.dash.map((d) => d * uPlot.pxRatio));
    ctx.beginPath();
    ctx.moveTo(left, y);
    ctx.lineTo(left + width, y);
    ctx.stroke();
    ctx.fillText(`${threshold.label} ${threshold.value}`, left + width - 4, y - 2);
  }
  ctx.restore();
}

/** The thresholds the chart draws, for its text alternative. */
export function thresholdLabels(thresholds = {}) {
  return THRESHOLDS.filter((t) => typeof thresholds[t.key] === 'number')
    .map((t) => `${t.label} ${thresholds[t.key]}`);
}
