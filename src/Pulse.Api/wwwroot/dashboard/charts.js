// Time-series charts with uPlot (vendored under /vendor/uplot, see scripts/vendor-charts.sh); no drawing code here.
const palette = ['#2f6fde', '#1f9d55', '#c27c0e', '#8e44ad', '#d64545', '#0f8b8d'];
const height = 260;

/**
 * A line chart in container: set(fromIso, labels, series) draws one line per label, one point per minute from fromIso.
 * It is rebuilt when the labels change, resized with its container, and kept otherwise (setData).
 */
export function minuteChart(container) {
  let plot = null;
  let shownLabels = '';
  const width = () => Math.max(container.clientWidth, 280);
  new ResizeObserver(() => plot && plot.setSize({ width: width(), height })).observe(container);

  return {
    set(fromIso, labels, series) {
      const start = Date.parse(fromIso) / 1000;
      const xs = series.length ? series[0].map((_, i) => start + i * 60) : [];
      const data = [xs, ...series];
      if (plot && shownLabels === labels.join('\u0000')) {
        plot.setData(data);
        return;
      }
      if (plot) {
        plot.destroy();
      }
      shownLabels = labels.join('\u0000');
      plot = new window.uPlot({
        width: width(),
        height,
        cursor: { drag: { x: true, y: false } },
        scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(1, max * 1.1)] } },
        axes: [{ stroke: '#616e7c', grid: { stroke: '#eef0f3' } }, { stroke: '#616e7c', grid: { stroke: '#eef0f3' }, size: 56 }],
        series: [{}, ...labels.map((label, i) => ({
          label,
          stroke: palette[i % palette.length],
          width: 2,
          points: { show: false },
          value: (u, v) => (v == null ? '–' : v.toLocaleString()),
        }))],
      }, data, container);
    },
  };
}
