/**
 * Exact number text for extended XYZ: reals as Python prints them (`Lattice`, info), per-atom
 * reals in ASE's `%16.8f` columns or their shortest exact form, and momenta ↔ velocities that
 * read back bit for bit.
 * @module
 */
import { PolymorphError } from '../core/errors';
import { aseTimeUnitInFs } from '../structure/units';

// ---------------------------------------------------------------------------------------------
// Numbers as Python prints them
// ---------------------------------------------------------------------------------------------

/**
 * A double as Python's `repr(float)` prints it — the shortest digits that read back to the same
 * double, in fixed notation for 1e-4 ≤ |x| < 1e16 and `1e-05`-style notation otherwise. ASE writes
 * `Lattice` and info reals this way.
 * @example
 * pythonFloat(5.587);  // '5.587'
 * pythonFloat(2);      // '2.0'
 * pythonFloat(1e-7);   // '1e-07'
 */
export function pythonFloat(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const plain = String(x);
  if (/^-?\d+\.\d+$/.test(plain) && Math.abs(x) >= 1e-4 && Math.abs(x) < 1e16) return plain; // same form in JS and Python
  const sign = x < 0 ? '-' : '';
  const { digits, point } = shortestDigits(Math.abs(x));
  if (point > 16 || point <= -4) {
    const exponent = point - 1;
    const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${mantissa}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}.0`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** Shortest round-trip digits of x > 0 and the position of the decimal point: x = 0.DIGITS × 10^point. */
function shortestDigits(x: number): { digits: string; point: number } {
  const [mantissa, exponent] = String(x).split('e');
  const [whole, fraction = ''] = mantissa.split('.');
  let digits = whole + fraction;
  let point = whole.length + (exponent === undefined ? 0 : Number(exponent));
  const leadingZeros = digits.length - digits.replace(/^0+/, '').length;
  digits = digits.slice(leadingZeros).replace(/0+$/, '');
  point -= leadingZeros;
  return { digits, point };
}

/** A per-atom real in a 16-wide column: ASE's `%16.8f` when that reads back exactly, else the shortest exact form. */
export function formatColumnReal(x: number): string {
  const shortest = String(x);
  // A shortest form with at most 8 decimals, padded with zeros, is what %16.8f prints.
  const short = /^(-?\d+)(?:\.(\d{1,8}))?$/.exec(shortest);
  if (short && Math.abs(x) < 6e7 && !Object.is(x, -0)) return `${short[1]}.${(short[2] ?? '').padEnd(8, '0')}`.padStart(16);
  if (shortest.includes('e') || Math.abs(x) >= 6e7) {
    const fixed = x.toFixed(8);
    if (Math.abs(x) < 1e16 && Object.is(Number(fixed), x)) return fixed.padStart(16);
  }
  return pythonFloat(x).padStart(16);
}

/** An info number: integers as integers, other values (and every value when `asFloat`) as Python floats. */
export function formatInfoNumber(x: number, what: string, asFloat: boolean): string {
  if (!Number.isFinite(x)) throw new PolymorphError('E_VALUE', `extxyz: ${what} is not finite (${x}); it cannot be written`);
  if (!asFloat && Number.isSafeInteger(x) && !Object.is(x, -0)) return String(x);
  return pythonFloat(x);
}

// ---------------------------------------------------------------------------------------------
// Momenta ↔ velocities
// ---------------------------------------------------------------------------------------------

const bitsF64 = new Float64Array(1);
const bitsI64 = new BigInt64Array(bitsF64.buffer);

/** The next double above x. */
function nextUp(x: number): number {
  if (x === 0) return Number.MIN_VALUE;
  bitsF64[0] = x;
  bitsI64[0] += x > 0 ? 1n : -1n;
  return bitsF64[0];
}

/** A finite double as an exact binary fraction: x = mantissa · 2^exponent. */
function exactDouble(x: number): { mantissa: bigint; exponent: number } {
  bitsF64[0] = x;
  const b = BigInt.asUintN(64, bitsI64[0]);
  const biased = Number((b >> 52n) & 0x7ffn);
  let mantissa = b & ((1n << 52n) - 1n);
  if (biased !== 0) mantissa |= 1n << 52n;
  if (b >> 63n) mantissa = -mantissa;
  return { mantissa, exponent: (biased === 0 ? 1 : biased) - 1075 };
}

/** Number of bits of a positive BigInt. */
function bitLength(x: bigint): number {
  return x.toString(2).length;
}

/** num / den · 2^exp2 (num, den > 0) rounded once to the nearest double. */
function roundQuotient(num: bigint, den: bigint, exp2: number): number {
  // A quotient of about 64 bits with a sticky lowest bit: Number() then rounds it correctly to 53 bits.
  const shift = 64 - (bitLength(num) - bitLength(den));
  const n = shift >= 0 ? num << BigInt(shift) : num;
  const d = shift >= 0 ? den : den << BigInt(-shift);
  let q = n / d;
  if (n % d !== 0n) q |= 1n;
  let x = Number(q);
  let e = exp2 - shift;
  for (; e > 1000; e -= 1000) x *= 2 ** 1000;
  for (; e < -1000; e += 1000) x *= 2 ** -1000;
  return x * 2 ** e;
}

/** Significant digits of a decimal token, leading and trailing zeros dropped (`0.00120` → 2). */
function significantDigits(token: string): number {
  const mantissa = token.replace(/^[+-]/, '').split(/[eEdD]/)[0].replace('.', '');
  return mantissa.replace(/^0+/, '').replace(/0+$/, '').length;
}

/** The exact value of a decimal token: numerator / denominator, numerator signed. */
function exactDecimal(token: string): { num: bigint; den: bigint } {
  const [mantissa, exponent = '0'] = token.split(/[eEdD]/);
  const [whole, fraction = ''] = mantissa.replace(/^\+/, '').split('.');
  const exp10 = Number(exponent) - fraction.length;
  const digits = BigInt(whole.replace(/^-?$/, (m) => `${m}0`) + fraction);
  return exp10 >= 0 ? { num: digits * 10n ** BigInt(exp10), den: 1n } : { num: digits, den: 10n ** BigInt(-exp10) };
}

/**
 * Velocity (Å/fs) from an ASE momentum column entry (amu·Å per ASE time unit) and a mass (amu):
 * v = p / m / {@link aseTimeUnitInFs}. Entries of up to 17 significant digits (everything ASE
 * writes) are read as a double and divided; longer ones (which only polymorph writes, when no
 * double momentum gives the velocity back exactly) are divided exactly and rounded once.
 * @example velocityFromMomentum('0.10000000', 63.546); // 1.5457…e-4 Å/fs
 */
export function velocityFromMomentum(text: string, mass: number): number {
  const p = Number(text.replace(/[dD]/, 'e'));
  if (significantDigits(text) <= 17 || p === 0) return p / mass / aseTimeUnitInFs;
  const { num, den } = exactDecimal(text);
  const m = exactDouble(mass);
  const c = exactDouble(aseTimeUnitInFs);
  const magnitude = roundQuotient(num < 0n ? -num : num, den * m.mantissa * c.mantissa, -m.exponent - c.exponent);
  return num < 0n ? -magnitude : magnitude;
}

/** num / den with `digits` significant digits, as `d.ddd…e±x`. */
function decimalText(num: bigint, den: bigint, digits: number): string {
  const sign = num < 0n ? '-' : '';
  const a = num < 0n ? -num : num;
  let k = digits - (a.toString().length - den.toString().length);
  for (;;) {
    const n = k >= 0 ? a * 10n ** BigInt(k) : a;
    const d = k >= 0 ? den : den * 10n ** BigInt(-k);
    const s = ((2n * n + d) / (2n * d)).toString();
    if (s.length > digits) k -= 1;
    else if (s.length < digits) k += 1;
    else return `${sign}${s[0]}.${s.slice(1)}e${s.length - 1 - k}`;
  }
}

/**
 * The momentum column entry (amu·Å per ASE time unit, the unit ASE writes) for a velocity (Å/fs)
 * and a mass (amu), p = m · v · {@link aseTimeUnitInFs}, such that {@link velocityFromMomentum}
 * gives `velocity` back bit for bit. Usually a double in ASE's `%16.8f` layout or its shortest
 * form; when no double does it (about one value in five), the exact product with 21+ digits.
 */
export function momentumText(velocity: number, mass: number): string {
  const p = velocity * aseTimeUnitInFs * mass;
  if (!Number.isFinite(p)) throw new PolymorphError('E_VALUE', `extxyz: the momentum of velocity ${velocity} Å/fs and mass ${mass} amu is not finite`);
  const asDouble = (q: number): string | undefined => {
    if (!Object.is(q / mass / aseTimeUnitInFs, velocity)) return undefined;
    const text = formatColumnReal(q);
    return significantDigits(text.trim()) <= 17 ? text : undefined;
  };
  let found = asDouble(p);
  for (let k = 0, up = p, down = p; found === undefined && k < 4; ++k) found = asDouble((up = nextUp(up))) ?? asDouble((down = -nextUp(-down)));
  if (found !== undefined) return found;
  const v = exactDouble(velocity);
  const m = exactDouble(mass);
  const c = exactDouble(aseTimeUnitInFs);
  const e = v.exponent + m.exponent + c.exponent;
  const num = v.mantissa * m.mantissa * c.mantissa * (e > 0 ? 1n << BigInt(e) : 1n);
  const den = e < 0 ? 1n << BigInt(-e) : 1n;
  for (let digits = 21; digits <= 40; ++digits) {
    const text = decimalText(num, den, digits);
    if (significantDigits(text) > 17 && Object.is(velocityFromMomentum(text, mass), velocity)) return text;
  }
  return formatColumnReal(p); // unreachable in practice: the exact product always works
}
