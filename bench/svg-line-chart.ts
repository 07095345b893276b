/**
 * A small SVG line chart writer for REPORT.md (no charting library runs outside a browser
 * here): several series over a shared x axis; both axes logarithmic by default, since sizes
 * grow by factors of 10–100 and latencies span milliseconds to seconds, or both linear
 * (a quantity over time).
 */

export interface Series {
  readonly name: string;
  readonly points: readonly (readonly [number, number])[];
}

export interface LineChart {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly Series[];
  readonly scale?: 'log' | 'linear';
}

const WIDTH = 720;
const HEIGHT = 420;
const M = { left: 70, right: 250, top: 40, bottom: 55 };
const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#17becf'];

function escapeXml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** About five round steps from 0 covering max. */
function linearTicks(max: number): number[] {
  const raw = max / 5 || 1;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((f) => f * magnitude).find((v) => v >= raw) ?? raw;
  const out: number[] = [];
  for (let v = 0; v < max + step; v += step) out.push(v);
  return out;
}

/** Powers of ten covering [min, max]. */
function decades(min: number, max: number): number[] {
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e += 1) out.push(10 ** e);
  return out;
}

function label(n: number): string {
  if (n >= 1_000_000) return `${n / 1_000_000}M`;
  if (n >= 1_000) return `${n / 1_000}k`;
  return String(n);
}

export function lineChartSvg(chart: LineChart): string {
  const log = (chart.scale ?? 'log') === 'log';
  const usable = ([x, y]: readonly [number, number]) => Number.isFinite(x) && Number.isFinite(y) && (!log || (x > 0 && y > 0));
  const points = chart.series.flatMap((s) => s.points).filter(usable);
  if (points.length === 0) return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="60" role="img" aria-label="${escapeXml(chart.title)}"><title>${escapeXml(chart.title)}</title><text x="10" y="30">${escapeXml(chart.title)}: no data</text></svg>\n`;
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  const xTicks = log ? decades(Math.min(...xs), Math.max(...xs)) : linearTicks(Math.max(...xs));
  const yTicks = log ? decades(Math.min(...ys), Math.max(...ys)) : linearTicks(Math.max(...ys));
  const f = log ? Math.log10 : (v: number) => v;
  const [x0, x1] = [f(xTicks[0]!), f(xTicks.at(-1)!)];
  const [y0, y1] = [f(yTicks[0]!), f(yTicks.at(-1)!)];
  const plotW = WIDTH - M.left - M.right;
  const plotH = HEIGHT - M.top - M.bottom;
  const sx = (x: number) => M.left + ((f(x) - x0) / (x1 - x0 || 1)) * plotW;
  const sy = (y: number) => M.top + plotH - ((f(y) - y0) / (y1 - y0 || 1)) * plotH;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12" role="img" aria-label="${escapeXml(chart.title)}">`);
  out.push(`<title>${escapeXml(chart.title)}</title>`);
  out.push(`<rect width="${WIDTH}" height="${HEIGHT}" fill="#fff"/>`);
  out.push(`<text x="${M.left}" y="22" font-size="15" font-weight="bold">${escapeXml(chart.title)}</text>`);
  for (const t of xTicks) {
    out.push(`<line x1="${sx(t).toFixed(1)}" y1="${M.top}" x2="${sx(t).toFixed(1)}" y2="${M.top + plotH}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${sx(t).toFixed(1)}" y="${M.top + plotH + 18}" text-anchor="middle">${label(t)}</text>`);
  }
  for (const t of yTicks) {
    out.push(`<line x1="${M.left}" y1="${sy(t).toFixed(1)}" x2="${M.left + plotW}" y2="${sy(t).toFixed(1)}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${M.left - 8}" y="${(sy(t) + 4).toFixed(1)}" text-anchor="end">${label(t)}</text>`);
  }
  out.push(`<rect x="${M.left}" y="${M.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#888"/>`);
  out.push(`<text x="${M.left + plotW / 2}" y="${HEIGHT - 12}" text-anchor="middle">${escapeXml(chart.xLabel)} ${log ? ' (log scale)' : ''}</text>`);
  out.push(`<text transform="translate(18 ${M.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escapeXml(chart.yLabel)}${log ? ' (log scale)' : ''}</text>`);
  chart.series.forEach((series, i) => {
    const colour = COLOURS[i % COLOURS.length]!;
    const valid = series.points.filter(usable);
    if (valid.length > 1) out.push(`<polyline fill="none" stroke="${colour}" stroke-width="2" points="${valid.map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(' ')}"/>`);
    for (const [x, y] of valid) out.push(`<circle cx="${sx(x).toFixed(1)}" cy="${sy(y).toFixed(1)}" r="3.5" fill="${colour}"><title>${escapeXml(`${series.name}: ${label(x)} → ${y}`)}</title></circle>`);
    const ly = M.top + 10 + i * 20;
    out.push(`<line x1="${M.left + plotW + 15}" y1="${ly}" x2="${M.left + plotW + 35}" y2="${ly}" stroke="${colour}" stroke-width="2"/>`);
    out.push(`<text x="${M.left + plotW + 40}" y="${ly + 4}">${escapeXml(series.name)}</text>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
