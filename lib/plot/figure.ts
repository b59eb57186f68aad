/**
 * A figure: a Vega-Lite specification (JSON) that notebooks render natively and that renders
 * headless to SVG for files and reports.
 * @module
 */
import * as fs from 'fs';
import { inspect } from 'util';
import { PolymorphError } from '../core/errors';
import { summary } from '../core/inspect';
import { renderSvg, type VegaLiteSpec } from './render';

export type { VegaLiteSpec } from './render';

/** The MIME type Jupyter front ends render Vega-Lite 5/6 specifications under. */
export const VEGA_LITE_MIME = 'application/vnd.vegalite.v5+json';

/**
 * A figure of a polymorph result: its Vega-Lite specification (`spec`, with the data inline), an
 * SVG rendering (`toSvg`, `writeSvg`), and a Jupyter MIME bundle (`mimeBundle`).
 * @example
 * const fig = meltingCurve(result);
 * await fig.writeSvg('melting.svg');
 * // tslab: import * as tslab from 'tslab'; tslab.display.svg(await fig.toSvg());
 * // kernels that take a MIME bundle (IJavascript's $$.mime, Deno's Jupyter.display): fig.mimeBundle()
 */
export class Figure {
  /** The Vega-Lite specification (plain JSON, data inline). */
  readonly spec: VegaLiteSpec;

  constructor(spec: VegaLiteSpec) {
    if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) throw new PolymorphError('E_TYPE', 'Figure: the specification must be an object');
    this.spec = { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', ...spec };
  }

  /** The title of the figure, if it has one. */
  get title(): string | undefined {
    const t = this.spec.title;
    return typeof t === 'string' ? t : (t && typeof t === 'object' && typeof (t as { text?: unknown }).text === 'string' ? (t as { text: string }).text : undefined);
  }

  /** The specification (JSON.stringify(figure) writes it). */
  toJSON(): VegaLiteSpec {
    return this.spec;
  }

  /** The figure as SVG text (rendered headless with vega). */
  toSvg(): Promise<string> {
    return renderSvg(this.spec);
  }

  /** Writes the SVG to `path`. */
  async writeSvg(path: string): Promise<void> {
    await fs.promises.writeFile(path, await this.toSvg());
  }

  /**
   * A Jupyter MIME bundle: the Vega-Lite specification (an object, as JupyterLab's Vega-Lite
   * renderer wants it), and a plain-text fallback. tslab's `display.raw(type, text)` sends text
   * only, so in tslab show the SVG: `tslab.display.svg(await fig.toSvg())`.
   */
  mimeBundle(): Record<string, unknown> {
    return { [VEGA_LITE_MIME]: this.spec, 'text/plain': this[inspect.custom]() };
  }

  [inspect.custom](): string {
    const data = (this.spec.data as { values?: unknown[] } | undefined)?.values;
    return summary('Figure', { title: this.title, mark: markOf(this.spec), points: Array.isArray(data) ? data.length : undefined });
  }
}

function markOf(spec: VegaLiteSpec): string | undefined {
  const mark = spec.mark as string | { type?: string } | undefined;
  if (typeof mark === 'string') return mark;
  if (mark && typeof mark.type === 'string') return mark.type;
  const layers = spec.layer as VegaLiteSpec[] | undefined;
  if (Array.isArray(layers)) return layers.map(markOf).filter(Boolean).join(' + ');
  return undefined;
}
