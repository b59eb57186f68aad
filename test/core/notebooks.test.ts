/**
 * The tslab notebooks in docs/notebooks: valid nbformat 4 with the tslab kernel, and their code
 * type-checks against the built package (`polymorph` → dist, as a reader's notebook resolves it),
 * so a renamed or removed API breaks this test rather than the notebook. Cells are joined in
 * order: imports hoisted, the rest inside one async function (tslab allows top-level await).
 * `tslab` itself is declared here with the part of its API the notebooks use.
 */
import * as fs from 'fs';
import * as path from 'path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..', '..');
const dir = path.join(root, 'docs', 'notebooks');
const notebooks = fs.readdirSync(dir).filter((f) => f.endsWith('.ipynb'));

const tslab = `declare module 'tslab' {
  interface Display { html(s: string): void; markdown(s: string): void; svg(s: string): void; text(s: string): void; raw(contentType: string, b: string | Uint8Array): void; }
  export const display: Display;
  export function newDisplay(): Display;
}`;

interface Notebook { nbformat: number; metadata: { kernelspec?: { name?: string } }; cells: { cell_type: string; source: string | string[] }[] }

function program(notebook: Notebook): string {
  const code = notebook.cells.filter((c) => c.cell_type === 'code').map((c) => (Array.isArray(c.source) ? c.source.join('') : c.source));
  const lines = code.join('\n;\n').split('\n');
  const imports = lines.filter((l) => /^import\s/.test(l));
  const rest = lines.filter((l) => !/^import\s/.test(l));
  return `${imports.join('\n')}\nexport async function notebook(): Promise<void> {\n${rest.join('\n')}\n}\n`;
}

describe('tslab notebooks (docs/notebooks)', () => {
  it('exist', () => expect(notebooks.length).toBeGreaterThanOrEqual(2));
  for (const name of notebooks) {
    it(`${name}: nbformat 4, tslab kernel, code that type-checks against the package`, () => {
      const notebook = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as Notebook;
      expect(notebook.nbformat).toBe(4);
      expect(notebook.metadata.kernelspec?.name).toBe('tslab');
      const config = ts.getParsedCommandLineOfConfigFile(path.join(root, 'tsconfig.scripts.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined })!;
      const file = path.join(root, 'build-scripts', 'notebook-check', name.replace(/\.ipynb$/, '.ts'));
      const declarations = path.join(root, 'build-scripts', 'notebook-check', 'tslab.d.ts');
      const sources = new Map([[file, program(notebook)], [declarations, tslab]]);
      const host = ts.createCompilerHost(config.options);
      const read = host.readFile.bind(host), exists = host.fileExists.bind(host), get = host.getSourceFile.bind(host);
      host.readFile = (f) => sources.get(path.resolve(f)) ?? read(f);
      host.fileExists = (f) => sources.has(path.resolve(f)) || exists(f);
      host.getSourceFile = (f, v, onError, create) => {
        const text = sources.get(path.resolve(f));
        return text !== undefined ? ts.createSourceFile(f, text, v) : get(f, v, onError, create);
      };
      const options = { ...config.options, noEmit: true, noUnusedLocals: false, rootDir: root };
      const diagnostics = ts.getPreEmitDiagnostics(ts.createProgram([file, declarations], options, host))
        .filter((d) => d.file === undefined || sources.has(path.resolve(d.file.fileName)));
      const messages = diagnostics.map((d) => `${d.file ? `line ${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}: ` : ''}${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
      expect(messages, program(notebook)).toEqual([]);
    }, 120_000);
  }
});
