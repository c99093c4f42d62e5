import type { Chart, ChartConfiguration } from 'chart.js';
import { useEffect, useRef, type ReactNode } from 'react';

// Chart.js draws into a <canvas> and sets sizes through CSSOM only (no <style> elements),
// so it runs under `style-src 'self'`.
let engine: Promise<typeof Chart> | null = null;
const loadChart = () => (engine ??= import('./chart-engine.ts').then((m) => m.Chart));

export type Palette = {
  ink: string;
  muted: string;
  line: string;
  accent: string;
  warn: string;
  danger: string;
};

/** The page's own colours, so charts follow the light and dark schemes. */
function palette(): Palette {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return {
    ink: v('--ink', '#23201c'),
    muted: v('--muted', '#5e5850'),
    line: v('--line', '#ddd4c6'),
    accent: v('--accent', '#2f5d50'),
    warn: v('--warn', '#8a4b08'),
    danger: v('--danger', '#a2322a'),
  };
}

const reducedMotion = () => window.matchMedia('(prefers-reduced-motion: reduce)').matches;

/** Options every chart shares: sized by its box, calm colours. Motion is set by ChartFigure. */
export function baseOptions(p: Palette) {
  return {
    responsive: true,
    maintainAspectRatio: false,
    color: p.ink,
    plugins: { legend: { labels: { color: p.ink } } },
  };
}

export type MakeChart = (p: Palette) => ChartConfiguration;

/**
 * A chart with its text alternative: a caption that says what it shows in words, an
 * aria-label on the canvas, and (as children) a table of the numbers behind it.
 * `make` should be memoised: a new function redraws the chart.
 */
export function ChartFigure({
  id,
  title,
  summary,
  make,
  children,
}: {
  id: string;
  title: string;
  summary: string;
  make: MakeChart;
  children?: ReactNode;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    const el = canvas.current;
    if (!el) return;
    let chart: Chart | null = null;
    let gone = false;
    delete el.dataset.drawn;
    void loadChart().then((ChartClass) => {
      if (gone) return;
      const config = make(palette());
      // data-drawn marks a finished drawing (tests and screenshots wait for it); no motion when asked.
      const finished = () => (el.dataset.drawn = 'true');
      const still = reducedMotion();
      config.options = {
        ...config.options,
        animation: still ? false : { duration: 300, onComplete: finished },
      };
      chart = new ChartClass(el, config);
      if (still) finished();
    });
    return () => {
      gone = true;
      chart?.destroy();
    };
  }, [make]);

  return (
    <figure className="chart" aria-labelledby={`${id}-title`}>
      <figcaption>
        <h3 id={`${id}-title`}>{title}</h3>
        <p className="muted small">{summary}</p>
      </figcaption>
      <div className="chart-box">
        <canvas ref={canvas} id={id} role="img" aria-label={`${title}: ${summary}`} />
      </div>
      {children}
    </figure>
  );
}

/** The numbers behind a chart, one click away for everyone and always there for screen readers. */
export function ChartTable({
  caption,
  head,
  rows,
  empty,
}: {
  caption: string;
  head: readonly string[];
  rows: readonly (readonly string[])[];
  empty?: string;
}) {
  return (
    <details className="chart-data">
      <summary>Show the numbers</summary>
      {rows.length === 0 ? (
        <p className="muted small">{empty ?? 'Nothing to show.'}</p>
      ) : (
        <div className="table-scroll">
          <table className="ledger-table">
            <caption className="visually-hidden">{caption}</caption>
            <thead>
              <tr>
                {head.map((h, i) => (
                  <th key={h} scope="col" className={i > 0 ? 'num' : undefined}>
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row[0]}>
                  {row.map((cell, i) =>
                    i === 0 ? (
                      <th key={i} scope="row">
                        {cell}
                      </th>
                    ) : (
                      <td key={i} className="num">
                        {cell}
                      </td>
                    ),
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </details>
  );
}
