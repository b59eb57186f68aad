/**
 * A study as a self-contained HTML report: every figure inline as SVG (no script, no network:
 * it opens in any browser, also offline), every table, and the JSON behind them; the figures
 * also as SVG files and Vega-Lite specifications beside it.
 * @module
 */
import * as fs from 'fs';
import * as path from 'path';
import { PolymorphError } from '../core/errors';
import { Figure } from './figure';

/** A table of a report section. */
export interface ReportTable {
  title?: string;
  columns: readonly string[];
  rows: readonly (readonly (string | number | boolean | null)[])[];
}

/** One section of a {@link Study}: text, figures, tables and the data behind them. */
export interface ReportSection {
  title: string;
  /** Paragraphs (plain text; escaped). */
  text?: string | readonly string[];
  figures?: readonly Figure[];
  tables?: readonly ReportTable[];
  /** The result the section shows (written to study.json and shown folded). */
  data?: unknown;
}

/** A study: a title, summary lines and sections. */
export interface Study {
  title: string;
  summary?: string | readonly string[];
  sections: readonly ReportSection[];
}

/** What {@link report} wrote. */
export interface ReportFiles {
  /** The HTML page. */
  html: string;
  /** All data as JSON. */
  json: string;
  /** The figures: SVG files and Vega-Lite specifications. */
  figures: string[];
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function paragraphs(text: string | readonly string[] | undefined): string {
  if (text === undefined) return '';
  return (typeof text === 'string' ? [text] : text).map((p) => `<p>${escape(String(p))}</p>`).join('\n');
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'figure';
}

function cell(v: string | number | boolean | null): string {
  if (v === null) return '—';
  if (typeof v === 'number') return Number.isFinite(v) ? String(Number(v.toPrecision(6))) : String(v);
  return escape(String(v));
}

function checkStudy(study: Study): void {
  if (study === null || typeof study !== 'object' || typeof study.title !== 'string' || !Array.isArray(study.sections)) {
    throw new PolymorphError('E_TYPE', 'report: expected a study { title, summary?, sections: [{ title, text?, figures?, tables?, data? }] }');
  }
  study.sections.forEach((s, k) => {
    if (s === null || typeof s !== 'object' || typeof s.title !== 'string') throw new PolymorphError('E_TYPE', `report: section ${k} needs a title`);
    for (const f of s.figures ?? []) if (!(f instanceof Figure)) throw new PolymorphError('E_TYPE', `report: section '${s.title}' has a figure that is not a Figure`);
    for (const t of s.tables ?? []) {
      if (!Array.isArray(t.columns) || !Array.isArray(t.rows)) throw new PolymorphError('E_TYPE', `report: section '${s.title}' has a table without columns and rows`);
      (t.rows as readonly unknown[]).forEach((r, i) => { if (!Array.isArray(r) || r.length !== t.columns.length) throw new PolymorphError('E_SHAPE', `report: section '${s.title}': table row ${i} has ${Array.isArray(r) ? r.length : 'no'} cells for ${t.columns.length} columns`); });
    }
  });
}

/**
 * Writes `directory/index.html` (the report), `directory/study.json` (every section's data) and
 * `directory/figures/` (each figure as SVG and as its Vega-Lite specification). Creates the
 * directory.
 * @example
 * await report({ title: 'ZnO nucleation', sections: [{ title: 'Melting', figures: [meltingCurve(m)], data: m }] }, 'report');
 */
export async function report(study: Study, directory: string): Promise<ReportFiles> {
  checkStudy(study);
  if (typeof directory !== 'string' || directory === '') throw new PolymorphError('E_TYPE', 'report: directory must be a path');
  const figuresDir = path.join(directory, 'figures');
  await fs.promises.mkdir(figuresDir, { recursive: true });
  const figures: string[] = [];
  const body: string[] = [];
  let n = 0;
  for (const section of study.sections) {
    body.push(`<section>\n<h2>${escape(section.title)}</h2>`, paragraphs(section.text));
    for (const figure of section.figures ?? []) {
      const name = `${String(++n).padStart(2, '0')}-${slug(figure.title ?? section.title)}`;
      const svg = await figure.toSvg();
      const svgFile = path.join(figuresDir, `${name}.svg`), specFile = path.join(figuresDir, `${name}.vl.json`);
      await fs.promises.writeFile(svgFile, svg);
      await fs.promises.writeFile(specFile, JSON.stringify(figure.spec, null, 1));
      figures.push(svgFile, specFile);
      body.push(`<figure>${svg}<figcaption><a href="figures/${name}.svg">SVG</a> · <a href="figures/${name}.vl.json">Vega-Lite</a></figcaption></figure>`);
    }
    for (const table of section.tables ?? []) {
      body.push('<table>', table.title ? `<caption>${escape(table.title)}</caption>` : '',
        `<thead><tr>${table.columns.map((c) => `<th>${escape(String(c))}</th>`).join('')}</tr></thead>`,
        `<tbody>${table.rows.map((r) => `<tr>${r.map((v) => `<td>${cell(v)}</td>`).join('')}</tr>`).join('\n')}</tbody>`, '</table>');
    }
    if (section.data !== undefined) body.push(`<details><summary>data</summary><pre>${escape(JSON.stringify(section.data, null, 1))}</pre></details>`);
    body.push('</section>');
  }
  const html = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8"/>
<title>${escape(study.title)}</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 1000px; margin: 2em auto; padding: 0 1em; color: #222; }
h1 { border-bottom: 2px solid #4682b4; padding-bottom: 0.2em; }
section { margin-top: 2em; }
figure { margin: 1em 0; }
figcaption { font-size: 0.8em; color: #666; }
table { border-collapse: collapse; margin: 1em 0; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: right; }
th { background: #f0f4f8; }
caption { font-weight: bold; text-align: left; margin-bottom: 0.3em; }
pre { max-height: 20em; overflow: auto; background: #f7f7f7; padding: 0.5em; font-size: 0.8em; }
.summary { background: #f0f4f8; padding: 0.5em 1em; border-left: 4px solid #4682b4; }
</style>
</head>
<body>
<h1>${escape(study.title)}</h1>
${study.summary === undefined ? '' : `<div class="summary">${paragraphs(study.summary)}</div>`}
${body.filter((x) => x !== '').join('\n')}
<footer><p>Written by polymorph ${escape(new Date().toISOString())}.</p></footer>
</body>
</html>
`;
  const htmlFile = path.join(directory, 'index.html'), jsonFile = path.join(directory, 'study.json');
  await fs.promises.writeFile(htmlFile, html);
  await fs.promises.writeFile(jsonFile, JSON.stringify({ title: study.title, summary: study.summary, sections: study.sections.map((s) => ({ title: s.title, text: s.text, tables: s.tables, data: s.data })) }, null, 1));
  return { html: htmlFile, json: jsonFile, figures };
}
