/**
 * report(): writes a self-contained HTML page (well-formed, every figure inline as SVG, tables,
 * the data), the figures as SVG and Vega-Lite files, and study.json; when Debian's chromium is
 * installed, its headless screenshot of the page is far from blank (larger than the screenshot of
 * an empty page of the same size); bad studies are typed errors.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { lineChart, report } from '../../lib/plot';

function chromium(): string | null {
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      execFileSync('which', [name], { stdio: 'pipe' });
      return name;
    } catch { /* not installed */ }
  }
  return null;
}

const study = {
  title: 'A <small> study',
  summary: ['T_melt = 1630 ± 6 K'],
  sections: [
    { title: 'Squares', text: 'y = x² & more', figures: [lineChart({ x: [1, 2, 3, 4], y: [1, 4, 9, 16] }, { title: 'squares', xLabel: 'x', yLabel: 'x²' })], data: { x: [1, 2, 3, 4] } },
    { title: 'Table', tables: [{ title: 'numbers', columns: ['a', 'b'], rows: [[1, 'one'], [2.123456789, null]] }] },
  ],
};

describe('report', () => {
  it('writes a self-contained page, the figures and the data', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'polymorph-report-'));
    const files = await report(study, dir);
    const html = fs.readFileSync(files.html, 'utf8');
    expect(html).toContain('<h1>A &lt;small&gt; study</h1>');
    expect(html).toContain('y = x² &amp; more');
    expect(html.split('<svg').length - 1).toBe(1);
    expect(html).toContain('<td>2.12346</td>');
    expect(html).not.toContain('<script');
    expect(files.figures.map((f) => path.basename(f))).toEqual(['01-squares.svg', '01-squares.vl.json']);
    expect(JSON.parse(fs.readFileSync(files.json, 'utf8')).sections[0].data).toEqual({ x: [1, 2, 3, 4] });
    // every tag closed in order (void elements written self-closed)
    const stack: string[] = [];
    for (const m of html.replace(/<!DOCTYPE[^>]*>/, '').matchAll(/<(\/?)([A-Za-z][\w:.-]*)((?:[^>"']|"[^"]*"|'[^']*')*?)(\/?)>/g)) {
      if (m[1]) expect(stack.pop()).toBe(m[2]);
      else if (!m[4]) stack.push(m[2]);
    }
    expect(stack).toEqual([]);
  });

  it.runIf(chromium() !== null)('renders in headless chromium (skipped without chromium: apt-get install chromium)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'polymorph-report-'));
    const files = await report(study, dir);
    const blank = path.join(dir, 'blank.html');
    fs.writeFileSync(blank, '<!DOCTYPE html><html><body></body></html>');
    const shot = (page: string, png: string): number => {
      execFileSync(chromium()!, ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', `--screenshot=${png}`, '--window-size=1000,1400', `file://${page}`], { stdio: 'pipe', timeout: 120_000 });
      return fs.statSync(png).size;
    };
    const page = shot(files.html, path.join(dir, 'page.png'));
    const empty = shot(blank, path.join(dir, 'blank.png'));
    expect(page).toBeGreaterThan(4 * empty);
  }, 180_000);

  it('bad studies are typed errors', async () => {
    await expect(report({} as never, 'x')).rejects.toMatchObject({ code: 'E_TYPE' });
    await expect(report({ title: 't', sections: [{ title: 's', figures: [{} as never] }] }, 'x')).rejects.toMatchObject({ code: 'E_TYPE' });
    await expect(report({ title: 't', sections: [{ title: 's', tables: [{ columns: ['a'], rows: [[1, 2]] }] }] }, 'x')).rejects.toMatchObject({ code: 'E_SHAPE' });
  });
});
