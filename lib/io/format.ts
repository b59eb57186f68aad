/**
 * The contract between `polymorph/io` and each file format. Parsers are push-based (one line at a
 * time) so the same parser serves synchronous reads, async streaming (`iread`) and strings.
 * @module
 */
import type { Structure } from '../structure/structure';
import type { FileEnergyUnit, FileLengthUnit } from './file-units';

/** Names of the supported formats. */
export type FormatName = 'extxyz' | 'n2p2' | 'lammps-data' | 'lammps-dump' | 'poscar';

/** Options understood by the readers (each format uses the ones that concern it). */
export interface ReadOptions {
  /** Format name; default: from the file extension or name. */
  format?: FormatName;
  /**
   * Which frame(s): for `read`, an integer (negative counts from the end; default -1, the last
   * frame, as in ASE). For `readAll`/`iread`, an integer or an ASE/Python slice string such as
   * `':'`, `'0:10'`, `'::2'`, `'-5:'` (default: all frames).
   */
  index?: number | string;
  /** LAMMPS: element of each atom type, type 1 first (`['Zn', 'O']`), when the file has no element column. */
  types?: readonly string[];
  /** LAMMPS data: atom style (`atomic` or `charge`); default from the `Atoms # style` comment, else `atomic`. */
  atomStyle?: 'atomic' | 'charge';
  /**
   * LAMMPS data: add the image flags to the positions, r + ix·a + iy·b + iz·c (Å), as earlier
   * polymorph versions did by default. Default false: positions as written, flags in `arrays.image`.
   */
  unwrap?: boolean;
  /** n2p2: length unit of the file (`'Bohr'`, `'nm'`, … or its size in Å); positions, cell and forces are converted to Å. Default `'Angstrom'`. */
  lengthUnit?: FileLengthUnit;
  /** n2p2: energy unit of the file (`'Hartree'`, `'kcal/mol'`, … or its size in eV); energies and forces are converted to eV. Default `'eV'`. */
  energyUnit?: FileEnergyUnit;
}

/** Options understood by the writers. */
export interface WriteOptions {
  /** Format name; default: from the file extension or name. */
  format?: FormatName;
  /** Append frames to an existing file (multi-frame formats only). */
  append?: boolean;
  /** LAMMPS: element of each atom type, type 1 first; default: the elements in order of first appearance. */
  types?: readonly string[];
  /** LAMMPS data: atom style to write; default `charge` if the structure has charges, else `atomic`. */
  atomStyle?: 'atomic' | 'charge';
  /** LAMMPS dump: per-atom columns to write (default `id type element x y z`, plus vx vy vz and fx fy fz if present). */
  columns?: readonly string[];
  /** POSCAR: write direct (fractional, default) or Cartesian coordinates. */
  direct?: boolean;
  /** n2p2: length unit to write positions, cell and forces in (`'Bohr'`, … or its size in Å). Default `'Angstrom'`. */
  lengthUnit?: FileLengthUnit;
  /** n2p2: energy unit to write energies and forces in (`'Hartree'`, … or its size in eV). Default `'eV'`. */
  energyUnit?: FileEnergyUnit;
}

/** Receives the lines of one file and returns each frame as soon as it is complete. */
export interface FrameParser {
  /** Feeds one line (no newline; a trailing `\r` already removed) with its 1-based number. */
  push(line: string, lineNumber: number): Structure | undefined;
  /** End of input after `lastLine` lines: the pending frame, if any; throws ParseError if a frame is truncated. */
  end(lastLine: number): Structure | undefined;
}

/** A file format. */
export interface Format {
  readonly name: FormatName;
  /** Can a file hold several frames (and be appended to)? */
  readonly multiFrame: boolean;
  /** The {@link ReadOptions} this format uses besides `format` and `index`. */
  readonly readOptions: readonly (keyof ReadOptions)[];
  /** The {@link WriteOptions} this format uses besides `format` and `append`. */
  readonly writeOptions: readonly (keyof WriteOptions)[];
  /** A parser for one file; `file` names it in error messages. */
  createParser(file: string, options: ReadOptions): FrameParser;
  /** The text of one frame (index `frame` in the file, for formats that number frames). */
  formatFrame(structure: Structure, options: WriteOptions, frame: number): string;
}
