// Active people per day against the seat limit, as an inline SVG. Built with
// createElementNS and presentation attributes (stroke, fill, class): the CSP
// allows no inline style, and none is needed.
const NS = 'http://www.w3.org/2000/svg';
const W = 720;
const H = 240;
const PAD = { top: 16, right: 16, bottom: 30, left: 48 };
const DAY = 86400000;

function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v != null) el.setAttribute(k, String(v));
  for (const c of children.flat()) {
    if (c == null || c === false) continue;
    el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  }
  return el;
}

const dayNumber = (iso) => Math.round(Date.parse(`${String(iso).slice(0, 10)}T00:00:00Z`) / DAY);
const dayLabel = (n) => new Date(n * DAY).toISOString().slice(0, 10);

// A round step so that about `count` ticks cover 0..max.
function niceStep(max, count) {
  const raw = Math.max(1, max / count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const f = raw / mag;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
}

// usage: [{ day, active }], seats: number → <svg data-testid="seat-chart">
export function createSeatChart(usage, seats) {
  const points = usage
    .map((u) => ({ day: dayNumber(u.day), active: Number(u.active) || 0 }))
    .filter((p) => Number.isFinite(p.day))
    .sort((a, b) => a.day - b.day);
  const peak = Math.max(seats || 0, ...points.map((p) => p.active), 1);
  const step = niceStep(peak * 1.1, 4);
  const top = Math.ceil((peak * 1.05) / step) * step;
  const first = points.length ? points[0].day : dayNumber(new Date().toISOString());
  const last = points.length ? points[points.length - 1].day : first;
  const span = Math.max(1, last - first);

  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const x = (day) => PAD.left + ((day - first) / span) * plotW;
  const y = (v) => PAD.top + plotH - (v / top) * plotH;
  const r = (n) => Math.round(n * 10) / 10;

  const latest = points[points.length - 1];
  const label = `Active people per day${points.length ? ` from ${dayLabel(first)} to ${dayLabel(last)}` : ''}, against ${seats} seats${latest ? `; ${latest.active} active on ${dayLabel(latest.day)}` : ''}.`;

  const grid = [];
  for (let v = 0; v <= top; v += step) {
    grid.push(svg('line', { class: 'chart-grid', x1: PAD.left, x2: W - PAD.right, y1: r(y(v)), y2: r(y(v)), stroke: '#eceef3', 'stroke-width': 1 }));
    grid.push(svg('text', { class: 'chart-label', x: PAD.left - 8, y: r(y(v)) + 4, 'text-anchor': 'end', fill: '#6a7080', 'font-size': 11 }, String(v)));
  }

  const ticks = [...new Set([first, Math.round((first + last) / 2), last])].filter((d) => points.length && d >= first && d <= last);
  const xLabels = ticks.map((d, i) => svg('text', {
    class: 'chart-label', x: r(x(d)), y: H - 8, fill: '#6a7080', 'font-size': 11,
    'text-anchor': ticks.length === 1 ? 'middle' : i === 0 ? 'start' : i === ticks.length - 1 ? 'end' : 'middle',
  }, dayLabel(d)));

  // A step line: the count holds until the day it changes.
  let path = '';
  points.forEach((p, i) => {
    if (i === 0) path = `M${r(x(p.day))},${r(y(p.active))}`;
    else path += ` H${r(x(p.day))} V${r(y(p.active))}`;
  });
  if (points.length === 1) path += ` H${r(x(first) + plotW)}`;

  return svg('svg', {
    class: 'seat-chart', 'data-testid': 'seat-chart', viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': label,
    preserveAspectRatio: 'xMidYMid meet',
  },
  svg('title', {}, label),
  grid,
  svg('line', { class: 'chart-axis', x1: PAD.left, x2: W - PAD.right, y1: y(0), y2: y(0), stroke: '#c9cdd6', 'stroke-width': 1 }),
  xLabels,
  seats > 0 && svg('line', {
    class: 'chart-seats', 'data-testid': 'seat-chart-seats', x1: PAD.left, x2: W - PAD.right, y1: r(y(seats)), y2: r(y(seats)),
    stroke: '#b7791f', 'stroke-width': 1.5, 'stroke-dasharray': '6 4',
  }),
  points.length > 0 && svg('path', {
    class: 'chart-active', 'data-testid': 'seat-chart-active', d: path, fill: 'none', stroke: '#4353d6', 'stroke-width': 2,
    'stroke-linejoin': 'round', 'stroke-linecap': 'round',
  }),
  latest && svg('circle', { class: 'chart-dot', cx: r(x(latest.day)), cy: r(y(latest.active)), r: 3.5, fill: '#4353d6' }),
  seats > 0 && svg('text', {
    class: 'chart-label chart-seats-label', x: W - PAD.right, y: r(y(seats)) - 6, 'text-anchor': 'end', fill: '#8a5a10', 'font-size': 11,
    stroke: '#ffffff', 'stroke-width': 4, 'stroke-linejoin': 'round', 'paint-order': 'stroke',
  }, `${seats} seats`),
  !points.length && svg('text', { class: 'chart-label', x: W / 2, y: H / 2, 'text-anchor': 'middle', fill: '#6a7080', 'font-size': 13 }, 'No usage recorded yet'));
}
