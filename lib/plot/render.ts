/**
 * Headless rendering of Vega-Lite specifications to SVG with the `vega` and `vega-lite` packages
 * (ES modules, loaded on first use by a dynamic import: the rest of polymorph never loads them).
 * @module
 * @internal
 */
import { PolymorphError } from '../core/errors';

/** A Vega-Lite specification: plain JSON. */
export type VegaLiteSpec = Record<string, unknown>;

// A real dynamic import: with "module": "node16" TypeScript keeps `import()` in its CommonJS output
// (a `require` could not load these ES modules in Node 20).
const importModule = (specifier: string): Promise<unknown> => import(specifier);

interface VegaModule {
  View: new (runtime: unknown, options: { renderer: string }) => { toSVG(scale?: number): Promise<string>; finalize(): void };
  parse(spec: unknown): unknown;
}
interface VegaLiteModule {
  compile(spec: unknown): { spec: unknown };
}

let modules: Promise<{ vega: VegaModule; vl: VegaLiteModule }> | null = null;

function load(): Promise<{ vega: VegaModule; vl: VegaLiteModule }> {
  modules ??= Promise.all([importModule('vega'), importModule('vega-lite')]).then(([vega, vl]) => ({ vega: vega as VegaModule, vl: vl as VegaLiteModule }));
  return modules;
}

/** The SVG text of a Vega-Lite specification, rendered headless (no browser, no canvas). */
export async function renderSvg(spec: VegaLiteSpec): Promise<string> {
  const { vega, vl } = await load();
  let compiled: unknown;
  try {
    compiled = vl.compile(spec).spec;
  } catch (error) {
    throw new PolymorphError('E_VALUE', `figure: the Vega-Lite specification does not compile: ${(error as Error).message}`);
  }
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
