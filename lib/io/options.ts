/**
 * Option checks of `polymorph/io`: every public reader and writer passes its options through
 * {@link checkIoOptions}, so a misspelt key (`formt`, `lenghtUnit`) is an `E_VALUE` naming the
 * expected keys, and an option of another format (`unwrap` for an extxyz file) is an `E_VALUE`
 * instead of being silently ignored.
 * @module
 * @internal
 */
import { PolymorphError } from '../core/errors';
import { checkOptions } from '../core/options';
import type { Format, ReadOptions, WriteOptions } from './format';

/** Options every reader takes. */
export const COMMON_READ_OPTIONS = ['format', 'index'] as const;
/** Options every writer takes. */
export const COMMON_WRITE_OPTIONS = ['format', 'append'] as const;

/** Every reader option of any format (a Record, so that the compiler keeps it complete). */
const READ_OPTIONS: Record<keyof ReadOptions, true> = {
  format: true, index: true, types: true, atomStyle: true, unwrap: true, lengthUnit: true, energyUnit: true,
};
/** Every writer option of any format. */
const WRITE_OPTIONS: Record<keyof WriteOptions, true> = {
  format: true, append: true, types: true, atomStyle: true, columns: true, direct: true, lengthUnit: true, energyUnit: true,
};

/** The keys a reader (or writer) of `format` accepts. */
export function optionNames(kind: 'read' | 'write', format: Format): string[] {
  return kind === 'read' ? [...COMMON_READ_OPTIONS, ...format.readOptions] : [...COMMON_WRITE_OPTIONS, ...format.writeOptions];
}

/**
 * Checks that every key of `options` is a reader (or writer) option of some format: a typo is an
 * `E_VALUE` listing them all, with the closest one. `what` names the function in messages.
 * Returns the options (`{}` for undefined).
 */
export function checkIoOptions<T extends object>(options: T | undefined | null, kind: 'read' | 'write', what: string): T {
  return checkOptions(options, Object.keys(kind === 'read' ? READ_OPTIONS : WRITE_OPTIONS), what);
}

/**
 * Checks that every option set in `options` (keys with the value `undefined` are ignored) applies
 * to `format`: `E_VALUE` otherwise, naming the format and the options it takes.
 */
export function checkOptionsApply(options: object, kind: 'read' | 'write', format: Format, what: string): void {
  const names = optionNames(kind, format);
  for (const [key, value] of Object.entries(options)) {
    if (value !== undefined && !names.includes(key)) {
      throw new PolymorphError('E_VALUE', `${what}: option '${key}' does not apply to ${format.name} files (${kind === 'read' ? 'reading' : 'writing'} ${format.name} takes ${names.join(', ')})`);
    }
  }
}

/** {@link checkIoOptions} then {@link checkOptionsApply} for one known format. */
export function checkFormatOptions<T extends object>(options: T | undefined | null, kind: 'read' | 'write', format: Format, what: string): T {
  const checked = checkIoOptions(options, kind, what);
  checkOptionsApply(checked, kind, format, what);
  return checked;
}
