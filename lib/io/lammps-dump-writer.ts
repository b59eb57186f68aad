/**
 * Writes one LAMMPS `dump custom` frame (see `lammps-dump.ts` for the layout): the columns, the
 * coordinates in LAMMPS's frame with optional image flags, the box and the atom lines.
 * @module
 */
import { NdArray } from 'ndarray';
import { PolymorphError } from '../core/errors';
import { checkOptions } from '../core/options';
import { inverse3, Matrix3 } from '../structure/cell';
import { Structure } from '../structure/structure';
import type { WriteOptions } from './format';
import { COMMON_WRITE_OPTIONS } from './options';
import {
  boundsOfBox, cellOfBox, formatNumber, FS_PER_PS, isTilted, lammpsBoxOf, transformRows, typesForWriting, Vector3,
} from './lammps-box';
import { POSITION_KINDS, TRIPLE_OF, TRIPLES, TripleName } from './lammps-dump-columns';

/** Column names the writer knows besides `arrays` entries. */
const WRITABLE = new Set<string>(['id', 'type', 'element', 'mass', 'q', ...TRIPLE_OF.keys()]);

function hasForces(s: Structure): boolean {
  const f = s.arrays.forces;
  return f !== undefined && !Array.isArray(f) && f.shape.length === 2 && f.shape[1] === 3;
}

/** `id type element x y z` plus velocities, forces and charges when the structure has them. */
function defaultColumns(s: Structure): string[] {
  const columns = ['id', 'type', 'element', 'x', 'y', 'z'];
  if (s.velocities) columns.push('vx', 'vy', 'vz');
  if (hasForces(s)) columns.push('fx', 'fy', 'fz');
  if (s.charges) columns.push('q');
  return columns;
}

/** Checks `options.columns` against the structure; throws `E_VALUE` naming the problem. */
function checkColumns(s: Structure, columns: readonly string[]): string[] {
  if (!Array.isArray(columns) || columns.some((c) => typeof c !== 'string' || !/^\S+$/.test(c))) {
    throw new PolymorphError('E_VALUE', `columns: expected a list of column names without spaces, got ${JSON.stringify(columns)}`);
  }
  const set = new Set(columns);
  if (set.size !== columns.length) throw new PolymorphError('E_VALUE', `columns: a column appears twice in ${JSON.stringify(columns)}`);
  for (const c of columns) {
    const t = TRIPLE_OF.get(c);
    if (t !== undefined && !TRIPLES[t].every((x) => set.has(x))) throw new PolymorphError('E_VALUE', `columns: '${c}' needs all of ${TRIPLES[t].join(' ')}`);
    if (WRITABLE.has(c)) continue;
    const a = Object.prototype.hasOwnProperty.call(s.arrays, c) ? s.arrays[c] : undefined;
    if (a === undefined || Array.isArray(a) || a.shape.length !== 1) {
      throw new PolymorphError('E_VALUE', `columns: '${c}' is neither a LAMMPS column polymorph writes (${[...WRITABLE].join(' ')}) nor a one-column numeric entry of structure.arrays`);
    }
  }
  if (!POSITION_KINDS.some((k) => set.has(TRIPLES[k][0]))) throw new PolymorphError('E_VALUE', 'columns: include coordinates (x y z, xs ys zs, xu yu zu or xsu ysu zsu)');
  if (set.has('vx') && !s.velocities) throw new PolymorphError('E_VALUE', "columns: 'vx vy vz' but the structure has no velocities");
  if (set.has('fx') && !hasForces(s)) throw new PolymorphError('E_VALUE', "columns: 'fx fy fz' but the structure has no arrays.forces [N,3]");
  if (set.has('q') && !s.charges) throw new PolymorphError('E_VALUE', "columns: 'q' but the structure has no charges");
  return [...columns];
}

/** Per-atom coordinates in LAMMPS's frame: absolute r, fractional s and, if wanted, wrapped ones with image flags. */
interface WriteCoordinates {
  r: Float64Array;
  s: Float64Array;
  image: Float64Array | null;
}

function writeCoordinates(s: Structure, r: Float64Array, lo: Vector3, cell: Matrix3, withImages: boolean): WriteCoordinates {
  const n = s.length;
  const inv = inverse3(cell);
  const frac = new Float64Array(3 * n);
  for (let i = 0; i < n; ++i) {
    const d = [0, 1, 2].map((k) => r[3 * i + k] - lo[k]);
    for (let k = 0; k < 3; ++k) frac[3 * i + k] = d[0] * inv[k] + d[1] * inv[3 + k] + d[2] * inv[6 + k];
  }
  if (!withImages) return { r, s: frac, image: null };
  const image = new Float64Array(3 * n);
  for (let i = 0; i < 3 * n; ++i) image[i] = s.pbc[i % 3] ? Math.floor(frac[i]) : 0;
  return { r, s: frac, image };
}

/** The text of one atom line's columns. */
function atomColumns(s: Structure, columns: string[], c: WriteCoordinates, cell: Matrix3, atomTypes: Int32Array, v: Float64Array | null, f: Float64Array | null): (i: number) => string {
  const num = formatNumber;
  const symbols = s.symbols;
  const wrapped = (i: number, k: number): number => {
    const n = c.image ? [c.image[3 * i], c.image[3 * i + 1], c.image[3 * i + 2]] : [0, 0, 0];
    return c.r[3 * i + k] - (n[0] * cell[k] + n[1] * cell[3 + k] + n[2] * cell[6 + k]);
  };
  const writers = columns.map((name): ((i: number) => string) => {
    const k = TRIPLE_OF.has(name) ? TRIPLES[TRIPLE_OF.get(name) as TripleName].indexOf(name as never) : 0;
    switch (TRIPLE_OF.get(name) ?? name) {
      case 'id': return (i) => String(i + 1);
      case 'type': return (i) => String(atomTypes[i]);
      case 'element': return (i) => symbols[i];
      case 'mass': return (i) => num(s.masses[i]);
      case 'q': return (i) => num((s.charges as Float64Array)[i]);
      case 'xu': return (i) => num(c.r[3 * i + k]);
      case 'xsu': return (i) => num(c.s[3 * i + k]);
      case 'x': return (i) => num(wrapped(i, k));
      case 'xs': return (i) => num(c.s[3 * i + k] - (c.image ? c.image[3 * i + k] : 0));
      case 'image': return (i) => String(c.image ? c.image[3 * i + k] : 0);
      case 'velocity': return (i) => num((v as Float64Array)[3 * i + k] * FS_PER_PS);
      case 'force': return (i) => num((f as Float64Array)[3 * i + k]);
      default: {
        const a = s.arrays[name] as NdArray;
        return (i) => num(a.get(i));
      }
    }
  });
  return (i) => writers.map((w) => w(i)).join(' ');
}

/** The options of the dump writer besides `format` and `append`. */
export const DUMP_WRITE_OPTIONS = ['types', 'columns'] as const;

/**
 * The text of one dump frame, ending in a newline; throws `E_VALUE` for `options.columns` the
 * structure cannot fill, or an option the dump writer does not take.
 */
export function formatDump(s: Structure, options: WriteOptions, frame: number): string {
  options = checkOptions(options, [...COMMON_WRITE_OPTIONS, ...DUMP_WRITE_OPTIONS], 'formatDump');
  const columns = checkColumns(s, options.columns ?? defaultColumns(s));
  const { atomTypes } = typesForWriting(s, options.types);
  const { box, rotation } = lammpsBoxOf(s);
  const cell = cellOfBox(box);
  const r = transformRows(s.positions, rotation);
  const coordinates = writeCoordinates(s, r, box.lo, cell, columns.includes('ix'));
  const v = s.velocities ? transformRows(s.velocities, rotation) : null;
  const f = hasForces(s) ? transformRows(s.arrays.forces as NdArray, rotation) : null;
  const line = atomColumns(s, columns, coordinates, cell, atomTypes, v, f);
  const flags = s.pbc.map((p) => (p ? 'pp' : 'ff')).join(' ');
  const timestep = s.info.timestep;
  const out: string[] = [];
  if (typeof s.info.time === 'number' && Number.isFinite(s.info.time)) out.push('ITEM: TIME', formatNumber(s.info.time / FS_PER_PS));
  out.push('ITEM: TIMESTEP', String(typeof timestep === 'number' && Number.isSafeInteger(timestep) && timestep >= 0 ? timestep : frame));
  out.push('ITEM: NUMBER OF ATOMS', String(s.length));
  if (isTilted(box)) {
    const b = boundsOfBox(box);
    out.push(`ITEM: BOX BOUNDS xy xz yz ${flags}`, ...[0, 1, 2].map((k) => `${formatNumber(b.lo[k])} ${formatNumber(b.hi[k])} ${formatNumber(box.tilt[k])}`));
  } else {
    out.push(`ITEM: BOX BOUNDS ${flags}`, ...[0, 1, 2].map((k) => `${formatNumber(box.lo[k])} ${formatNumber(box.hi[k])}`));
  }
  out.push(`ITEM: ATOMS ${columns.join(' ')}`);
  for (let i = 0; i < s.length; ++i) out.push(line(i));
  return `${out.join('\n')}\n`;
}
