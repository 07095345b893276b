/**
 * The pure parts of the benchmark report: reading Markdown tables from a benchmark's
 * printed output, and the SVG line chart writer (log and linear axes, bad points skipped).
 */
import { describe, expect, it } from 'vitest';
import { markdownTables } from '../../bench/markdown-tables.js';
import { lineChartSvg } from '../../bench/svg-line-chart.js';

describe('markdownTables', () => {
  it('given printed output with two tables, then each is read as rows of cells without the separator row', () => {
    const text = 'machine: 2 CPUs\n\n| what | events/s | ratio |\n| --- | ---: | ---: |\n| raw | 155 | 1.00 |\n| firebreak | 91 | 0.59 |\n\ntext between\n|a|b|\n|-|-|\n|1|2|\n';
    expect(markdownTables(text)).toEqual([
      [['what', 'events/s', 'ratio'], ['raw', '155', '1.00'], ['firebreak', '91', '0.59']],
      [['a', 'b'], ['1', '2']],
    ]);
  });

  it('given no table, then none', () => {
    expect(markdownTables('fired: 100 rows\nlateness: p50 7 ms')).toEqual([]);
  });
});

describe('lineChartSvg', () => {
  it('given two series on log axes, then one polyline and one point per valid value, a legend entry per series', () => {
    const svg = lineChartSvg({
      title: 'Timeline <p50>',
      xLabel: 'events',
      yLabel: 'ms',
      series: [
        { name: 'incident page', points: [[100, 30], [10_000, 40], [1_000_000, 45]] },
        { name: 'sitrep draft', points: [[100, 30], [10_000, 600], [1_000_000, Number.NaN]] },
      ],
    });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    expect(svg.match(/<polyline/g)).toHaveLength(2);
    expect(svg.match(/<circle/g)).toHaveLength(5);
    expect(svg).toContain('Timeline &#60;p50&#62;');
    expect(svg).toContain('>1M<');
    expect(svg).not.toContain('NaN');
  });

  it('given linear axes, then zero is a valid coordinate', () => {
    const svg = lineChartSvg({ title: 'heap', xLabel: 's', yLabel: 'MiB', scale: 'linear', series: [{ name: 'heap', points: [[0, 31], [30, 34], [60, 35]] }] });
    expect(svg.match(/<circle/g)).toHaveLength(3);
    expect(svg).not.toContain('NaN');
  });

  it('given no usable point, then a short placeholder instead of a broken chart', () => {
    expect(lineChartSvg({ title: 'empty', xLabel: 'x', yLabel: 'y', series: [{ name: 's', points: [[0, 0]] }] })).toContain('no data');
  });
});
