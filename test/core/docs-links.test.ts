/**
 * The README and the guides point to files that exist: every relative markdown link (and its
 * `#anchor`, for links to markdown files) resolves, and every code span naming a markdown file or
 * a path in lib/, test/, bench/, native/ or docs/ names a file or folder of the repository.
 */
import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..', '..');

function markdownFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'api' ? [] : markdownFiles(full); // docs/api is typedoc's output
    return e.name.endsWith('.md') ? [full] : [];
  });
}

const documents = [path.join(root, 'README.md'), ...markdownFiles(path.join(root, 'docs'))];

/** The text outside fenced code blocks (code examples may contain anything). */
function prose(text: string): string {
  return text.replace(/^```[\s\S]*?^```/gm, '');
}

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading.trim().toLowerCase().replace(/`/g, '').replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-');
}

function anchors(file: string): Set<string> {
  const headings = prose(fs.readFileSync(file, 'utf8')).split('\n').filter((l) => /^#{1,6} /.test(l));
  return new Set(headings.map((l) => slug(l.replace(/^#+ /, ''))));
}

/** Relative link targets of `[text](target)` and `![alt](target)`. */
function relativeLinks(text: string): string[] {
  return [...prose(text).matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1])
    .filter((t) => !/^[a-z][a-z0-9+.-]*:/i.test(t) && !t.startsWith('#'));
}

/** Code spans that name a markdown file or a repository path. */
function pathSpans(text: string): string[] {
  return [...prose(text).matchAll(/`([^`\s]+)`/g)].map((m) => m[1])
    .filter((t) => /^[\w./-]+\.md$/.test(t) || /^(lib|test|bench|native|docs)\/[\w./-]*$/.test(t));
}

describe('links in README.md and docs/', () => {
  it('finds the documents', () => {
    expect(documents.map((f) => path.relative(root, f))).toContain(path.join('docs', 'guides', 'getting-started.md'));
  });

  it.each(documents.map((f) => [path.relative(root, f), f]))('%s: relative links resolve', (_, file) => {
    const broken: string[] = [];
    for (const link of relativeLinks(fs.readFileSync(file, 'utf8'))) {
      const [target, anchor] = decodeURI(link).split('#');
      const resolved = path.resolve(path.dirname(file), target);
      if (!fs.existsSync(resolved)) broken.push(`${link}: no such file`);
      else if (anchor && target.endsWith('.md') && !anchors(resolved).has(anchor)) broken.push(`${link}: no heading #${anchor}`);
    }
    expect(broken).toEqual([]);
  });

  it.each(documents.map((f) => [path.relative(root, f), f]))('%s: file names in code spans exist', (_, file) => {
    const missing = pathSpans(fs.readFileSync(file, 'utf8'))
      .filter((p) => !fs.existsSync(path.resolve(root, p)) && !fs.existsSync(path.resolve(path.dirname(file), p)));
    expect(missing).toEqual([]);
  });
});
