/**
 * Training curves as a standalone SVG string: one panel per quantity (loss, then each metric), the
 * training series solid and its `val_` twin dashed, epochs on the x axis. Pure string building — no
 * DOM — so it runs in Node (the CLI writes `training.svg`) and in a browser alike.
 */
import { escapeXml } from './graph-svg.js';

/** Per-epoch series by key (`loss`, `val_loss`, `accuracy`, ...), as `History.history` holds them. */
export type CurveSeries = Readonly<Record<string, readonly number[]>>;

/** What `trainingCurvesSvg` accepts: a History (or anything with a `history` field), or its series. */
export type CurvesInput = { readonly history: CurveSeries; readonly epoch?: readonly number[] } | CurveSeries;

/** Options of `trainingCurvesSvg`. */
export interface TrainingCurvesOptions {
  /** Heading above the panels. Default 'Training curves'. */
  title?: string;
  /** Width of one panel in px. Default 420. */
  panelWidth?: number;
  /** Height of one panel in px. Default 280. */
  panelHeight?: number;
  /** The quantities to draw, one panel each (without `val_`). Default: loss, then every other key. */
  keys?: readonly string[];
}

const FONT_FAMILY = 'DejaVu Sans, Verdana, Helvetica, Arial, sans-serif';
const TRAIN_COLOR = '#1d4ed8';
const VAL_COLOR = '#ea580c';
const AXIS_COLOR = '#374151';
const GRID_COLOR = '#e5e7eb';
const TEXT_COLOR = '#1f2937';
/** Inner margins of a panel: room for tick labels (left, bottom), the panel title (top). */
const PAD = { left: 58, right: 16, top: 34, bottom: 44 };
const HEADER = 30;

const num = (v: number): string => String(Math.round(v * 100) / 100);

/** The series of `input`, checked: every entry an array of numbers. */
function seriesOf(input: CurvesInput): CurveSeries {
  if (input === null || typeof input !== 'object') {
    throw new Error(
      'trainingCurvesSvg: expected a History or a record of per-epoch series such as { loss: [...] }',
    );
  }
  const maybe = (input as { history?: unknown }).history;
  const series = (
    maybe !== undefined && typeof maybe === 'object' && maybe !== null ? maybe : input
  ) as Record<string, unknown>;
  for (const [key, values] of Object.entries(series)) {
    if (!Array.isArray(values) || values.some((v) => typeof v !== 'number')) {
      throw new Error(`trainingCurvesSvg: series '${key}' must be an array of numbers (one per epoch)`);
    }
  }
  return series as CurveSeries;
}

/** Epoch numbers shown on the x axis: History's (0-based, shown 1-based) or 1…n. */
function epochsOf(input: CurvesInput, n: number): number[] {
  const given = (input as { epoch?: unknown }).epoch;
  if (Array.isArray(given) && given.length === n && given.every((e) => typeof e === 'number')) {
    return given.map((e: number) => e + 1);
  }
  return Array.from({ length: n }, (_, i) => i + 1);
}

/** The panels to draw: loss first, then the other training keys in their order. */
function panelKeys(series: CurveSeries, keys?: readonly string[]): string[] {
  if (keys !== undefined) {
    for (const k of keys) {
      if (series[k] === undefined && series[`val_${k}`] === undefined) {
        throw new Error(
          `trainingCurvesSvg: no series '${k}' (available: ${Object.keys(series).join(', ') || 'none'})`,
        );
      }
    }
    return [...keys];
  }
  const base = Object.keys(series).map((k) => (k.startsWith('val_') ? k.slice(4) : k));
  const unique = [...new Set(base)];
  return unique.sort((a, b) => (a === 'loss' ? -1 : b === 'loss' ? 1 : 0));
}

/**
 * Tick values covering [lo, hi] with a 1-2-5 step, about `count` of them.
 * @example niceTicks(0.03, 0.71) // [0, 0.1, 0.2, ..., 0.8]
 */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(Number.isFinite(lo) && Number.isFinite(hi))) return [0, 1];
  if (hi - lo < 1e-12) {
    const pad = Math.abs(lo) > 1e-12 ? Math.abs(lo) * 0.1 : 1;
    return niceTicks(lo - pad, hi + pad, count);
  }
  const raw = (hi - lo) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const fraction = raw / power;
  const step = (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * power;
  const first = Math.floor(lo / step + 1e-9) * step;
  const ticks: number[] = [];
  for (let t = first; t < hi + step - 1e-9 * step; t += step) {
    // Rounding to the step's decimals removes float noise such as 0.30000000000000004.
    const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 1);
    ticks.push(Number(t.toFixed(decimals)));
  }
  return ticks;
}

function tickLabel(v: number, step: number): string {
  if (v === 0) return '0';
  if (Math.abs(v) >= 1e5 || Math.abs(v) < 1e-4) return v.toExponential(1);
  const decimals = Math.max(0, Math.min(6, -Math.floor(Math.log10(step))));
  return v.toFixed(decimals);
}

/** Integer epoch ticks, at most about 8 of them. */
function epochTicks(first: number, last: number): number[] {
  if (last <= first) return [first];
  const span = last - first;
  const candidates = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000];
  const step = candidates.find((s) => span / s <= 8) ?? Math.ceil(span / 8);
  const ticks: number[] = [];
  for (let t = Math.ceil(first / step) * step; t <= last; t += step) ticks.push(t);
  // Epoch 1 gets a label too unless a multiple of the step sits right next to it.
  if (ticks.length === 0 || ticks[0] - first >= step / 2) ticks.unshift(first);
  return ticks;
}

/** One polyline per run of finite values: a NaN epoch breaks the line instead of bending it to 0. */
function paths(
  xs: readonly number[],
  ys: readonly number[],
  sx: (v: number) => number,
  sy: (v: number) => number,
) {
  const runs: string[] = [];
  let current: string[] = [];
  for (let i = 0; i < ys.length; i++) {
    if (Number.isFinite(ys[i])) {
      current.push(`${num(sx(xs[i]))},${num(sy(ys[i]))}`);
    } else if (current.length > 0) {
      runs.push(current.join(' '));
      current = [];
    }
  }
  if (current.length > 0) runs.push(current.join(' '));
  return runs;
}

function panel(
  key: string,
  series: CurveSeries,
  epochs: readonly number[],
  x0: number,
  y0: number,
  width: number,
  height: number,
): string {
  const train = series[key] ?? [];
  const val = series[`val_${key}`] ?? [];
  const finite = [...train, ...val].filter((v) => Number.isFinite(v));
  let lo = finite.length > 0 ? Math.min(...finite) : 0;
  let hi = finite.length > 0 ? Math.max(...finite) : 1;
  // Losses and errors read best from 0; accuracies up to 1.
  if (lo > 0 && lo < hi * 0.5) lo = 0;
  if (/acc|precision|recall|auc/i.test(key) && hi <= 1 && hi > 0.5) hi = 1;
  const ticks = niceTicks(lo, hi);
  const yMin = ticks[0];
  const yMax = ticks[ticks.length - 1];
  const first = epochs[0] ?? 1;
  const last = epochs[epochs.length - 1] ?? 1;
  const left = x0 + PAD.left;
  const right = x0 + width - PAD.right;
  const top = y0 + PAD.top;
  const bottom = y0 + height - PAD.bottom;
  const sx = (e: number) =>
    last === first ? (left + right) / 2 : left + ((e - first) / (last - first)) * (right - left);
  const sy = (v: number) => bottom - ((v - yMin) / (yMax - yMin)) * (bottom - top);
  const step = ticks.length > 1 ? ticks[1] - ticks[0] : 1;
  const out: string[] = [];
  out.push(`<g class="panel" data-key="${escapeXml(key)}">`);
  out.push(
    `<text x="${num((left + right) / 2)}" y="${num(y0 + 20)}" text-anchor="middle" font-size="14" font-weight="bold" fill="${TEXT_COLOR}">${escapeXml(key)}</text>`,
  );
  // Grid and y ticks.
  out.push('<g class="axis y">');
  for (const t of ticks) {
    const y = num(sy(t));
    out.push(
      `<line x1="${num(left)}" y1="${y}" x2="${num(right)}" y2="${y}" stroke="${GRID_COLOR}" stroke-width="1"/>`,
    );
    out.push(
      `<text x="${num(left - 6)}" y="${y}" dy="0.32em" text-anchor="end" font-size="11" fill="${TEXT_COLOR}">${tickLabel(t, step)}</text>`,
    );
  }
  out.push(
    `<line x1="${num(left)}" y1="${num(top)}" x2="${num(left)}" y2="${num(bottom)}" stroke="${AXIS_COLOR}" stroke-width="1.2"/>`,
  );
  out.push('</g>');
  // x axis with epoch ticks.
  out.push('<g class="axis x">');
  out.push(
    `<line x1="${num(left)}" y1="${num(bottom)}" x2="${num(right)}" y2="${num(bottom)}" stroke="${AXIS_COLOR}" stroke-width="1.2"/>`,
  );
  for (const e of epochTicks(first, last)) {
    const x = num(sx(e));
    out.push(
      `<line x1="${x}" y1="${num(bottom)}" x2="${x}" y2="${num(bottom + 4)}" stroke="${AXIS_COLOR}" stroke-width="1"/>`,
    );
    out.push(
      `<text x="${x}" y="${num(bottom + 16)}" text-anchor="middle" font-size="11" fill="${TEXT_COLOR}">${e}</text>`,
    );
  }
  out.push(
    `<text x="${num((left + right) / 2)}" y="${num(bottom + 34)}" text-anchor="middle" font-size="12" fill="${TEXT_COLOR}">epoch</text>`,
  );
  out.push('</g>');
  // The series; markers too when there are few epochs (a single epoch is only a marker).
  const drawn: Array<[string, readonly number[], string, string]> = [
    [key, train, TRAIN_COLOR, ''],
    [`val_${key}`, val, VAL_COLOR, ' stroke-dasharray="6 4"'],
  ];
  const legend: Array<[string, string, string]> = [];
  for (const [name, ys, color, dash] of drawn) {
    if (ys.length === 0) continue;
    legend.push([name, color, dash]);
    out.push(`<g class="series" data-series="${escapeXml(name)}">`);
    for (const points of paths(epochs, ys, sx, sy)) {
      out.push(`<polyline points="${points}" fill="none" stroke="${color}" stroke-width="2"${dash}/>`);
    }
    if (ys.length <= 30) {
      for (let i = 0; i < ys.length; i++) {
        if (!Number.isFinite(ys[i])) continue;
        out.push(`<circle cx="${num(sx(epochs[i]))}" cy="${num(sy(ys[i]))}" r="2.5" fill="${color}"/>`);
      }
    }
    out.push('</g>');
  }
  // Legend in the top-right corner of the plot.
  out.push('<g class="legend">');
  legend.forEach(([name, color, dash], i) => {
    const ly = top + 10 + i * 16;
    const lx = right - 110;
    out.push(
      `<line x1="${num(lx)}" y1="${num(ly)}" x2="${num(lx + 22)}" y2="${num(ly)}" stroke="${color}" stroke-width="2"${dash}/>`,
    );
    out.push(
      `<text x="${num(lx + 28)}" y="${num(ly)}" dy="0.32em" font-size="11" fill="${TEXT_COLOR}">${escapeXml(name.startsWith('val_') ? 'validation' : 'training')}</text>`,
    );
  });
  out.push('</g>');
  out.push('</g>');
  return out.join('\n');
}

/**
 * Loss and metric curves of a training run as a standalone SVG document: one panel per quantity, the
 * training series solid (blue) and the validation series dashed (orange), epochs on the x axis.
 * @example
 * const history = await model.fit(x, y, { epochs: 20, validationSplit: 0.2 });
 * const svg = ax.trainingCurvesSvg(history); // '<svg xmlns=...>…</svg>'
 * ax.trainingCurvesSvg({ loss: [0.9, 0.5, 0.3], val_loss: [1, 0.6, 0.4] }, { title: 'My run' });
 */
export function trainingCurvesSvg(input: CurvesInput, options: TrainingCurvesOptions = {}): string {
  const series = seriesOf(input);
  const keys = panelKeys(series, options.keys);
  if (keys.length === 0)
    throw new Error('trainingCurvesSvg: the history holds no series (train for an epoch first)');
  const n = Math.max(...keys.flatMap((k) => [series[k]?.length ?? 0, series[`val_${k}`]?.length ?? 0]));
  const epochs = epochsOf(input, n);
  const width = options.panelWidth ?? 420;
  const height = options.panelHeight ?? 280;
  if (!(width >= 160 && height >= 120)) {
    throw new Error(
      `trainingCurvesSvg: panelWidth must be ≥ 160 and panelHeight ≥ 120, got ${width} × ${height}`,
    );
  }
  const title = options.title ?? 'Training curves';
  const total = width * keys.length;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${total}" height="${height + HEADER}" viewBox="0 0 ${total} ${height + HEADER}" font-family="${FONT_FAMILY}">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect x="0" y="0" width="${total}" height="${height + HEADER}" fill="#ffffff"/>`,
    `<text x="${num(total / 2)}" y="20" text-anchor="middle" font-size="15" fill="${TEXT_COLOR}">${escapeXml(title)}</text>`,
  ];
  keys.forEach((key, i) => {
    parts.push(panel(key, series, epochs, i * width, HEADER, width, height));
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
