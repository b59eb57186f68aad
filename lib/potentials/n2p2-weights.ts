/**
 * n2p2 `weights.NNN.data`: the weights and biases of one element's atomic neural network, read and
 * written as `specs/n2p2-formats.md` §3 says.
 *
 * **Connection order** (§3.2). For a network with layer sizes `[n_0, n_1, …, n_L]` (input,
 * hidden…, output), layer ℓ = 1…L contributes its weights source-major — for each source neuron j
 * of layer ℓ−1, the weights to every target neuron k of layer ℓ — followed by the n_ℓ biases of
 * layer ℓ. Total: Σ_ℓ (n_{ℓ−1} + 1)·n_ℓ values ({@link connectionCount}).
 *
 * **Reading** (§3.1) follows n2p2 — empty lines and lines starting with `#` are skipped, every other
 * line gives its first field — but strictly (spec Q8): the count must be exactly the expected one,
 * every value a finite C number (no Fortran `d` exponent), no whitespace-only lines (n2p2 would
 * read NaN), no CR line ends. When the layer sizes are given and a line carries n2p2's label
 * columns (`a index l_s n_s l_e n_e` or `b index l n`), the labels are checked against the
 * position too, so a file written for another topology with the same count is refused. One-column
 * files (RuNNer) are read the same way.
 *
 * **Writing** (§3.3) is byte-identical to n2p2's `NeuralNetwork::writeConnections`.
 *
 * @example
 * ```ts
 * const layers = [27, 25, 25, 1];                       // H network of H2O_RPBE-D3
 * const w = readN2p2Weights('weights.001.data', connectionCount(layers), layers); // 1376 values
 * fs.writeFileSync('copy/weights.001.data', formatN2p2Weights(w, layers));
 * ```
 * @module
 */
import { ParseError, PolymorphError } from '../core/errors';
import { formatE } from '../io/tokens';
import { n2p2Fields, n2p2Integer, n2p2Lines, n2p2Real, readN2p2Text } from '../io/n2p2-text';

/** The weight file name n2p2 uses for an element: `weights.%03d.data` with the atomic number (`weights.008.data` for O). */
export function weightsFileName(atomicNumber: number): string {
  if (!Number.isInteger(atomicNumber) || atomicNumber < 1 || atomicNumber > 999) {
    throw new PolymorphError('E_VALUE', `weightsFileName: expected an atomic number 1…999, got ${atomicNumber}`);
  }
  return `weights.${String(atomicNumber).padStart(3, '0')}.data`;
}

function checkLayers(layers: readonly number[], what: string): void {
  if (!Array.isArray(layers) || layers.length < 2 || !layers.every((n) => Number.isInteger(n) && n >= 1)) {
    throw new PolymorphError('E_VALUE', `${what}: layers must be at least two positive integers (input, …, output), got ${JSON.stringify(layers)}`);
  }
}

/**
 * Number of weights and biases of a feed-forward network with these layer sizes (input first):
 * Σ_{ℓ≥1} (n_{ℓ−1} + 1)·n_ℓ.
 * @example connectionCount([27, 25, 25, 1]) // 1376
 */
export function connectionCount(layers: readonly number[]): number {
  checkLayers(layers, 'connectionCount');
  let count = 0;
  for (let l = 1; l < layers.length; ++l) count += (layers[l - 1] + 1) * layers[l];
  return count;
}

/** The label of connection `index` (0-based) in n2p2's order: `a` with (l_s, n_s, l_e, n_e) or `b` with (l, n), 1-based neurons. */
function* connectionLabels(layers: readonly number[]): Generator<[string, number[]]> {
  for (let l = 1; l < layers.length; ++l) {
    for (let j = 1; j <= layers[l - 1]; ++j) {
      for (let k = 1; k <= layers[l]; ++k) yield ['a', [l - 1, j, l, k]];
    }
    for (let k = 1; k <= layers[l]; ++k) yield ['b', [l, k]];
  }
}

function describe(layers: readonly number[] | undefined): string {
  return layers ? ` for layers ${layers.join('-')}` : '';
}

/**
 * Parses the text of a weights file into the connection vector (n2p2 order, normalised units of
 * the potential). `layers` (input, hidden…, output sizes) is optional: it improves the error
 * messages and enables the label check described in the module documentation.
 * @throws ParseError for malformed values, CR line ends, or a count other than `expectedCount`.
 */
export function parseN2p2Weights(text: string, file: string, expectedCount: number, layers?: readonly number[]): Float64Array {
  if (!Number.isInteger(expectedCount) || expectedCount < 1) {
    throw new PolymorphError('E_VALUE', `parseN2p2Weights: expectedCount must be a positive integer, got ${expectedCount}`);
  }
  if (layers) {
    checkLayers(layers, 'parseN2p2Weights');
    if (connectionCount(layers) !== expectedCount) {
      throw new PolymorphError('E_VALUE', `parseN2p2Weights: layers ${layers.join('-')} have ${connectionCount(layers)} connections, not expectedCount ${expectedCount}`);
    }
  }
  const values = new Float64Array(expectedCount);
  const labels = layers ? connectionLabels(layers) : undefined;
  const lines = n2p2Lines(text, file);
  let count = 0;
  for (let i = 0; i < lines.length; ++i) {
    const line = lines[i];
    if (line.length === 0 || line[0] === '#') continue;
    const fields = n2p2Fields(line);
    if (fields.length === 0) throw new ParseError(file, i + 1, 'a weight value (this line has only blanks; n2p2 would read it as NaN)', line);
    if (count === expectedCount) {
      const found = expectedCount + lines.slice(i).filter((l) => l.length > 0 && l[0] !== '#').length;
      throw new ParseError(file, i + 1, `exactly ${expectedCount} values${describe(layers)}, found ${found} (this line holds value ${expectedCount + 1}: wrong weights file for this network?)`, line);
    }
    values[count] = n2p2Real(fields[0], file, i + 1, `weight ${count + 1}`);
    if (labels) checkLabel(fields, labels.next().value as [string, number[]], count + 1, file, i + 1);
    ++count;
  }
  if (count < expectedCount) {
    throw new ParseError(file, 0, `exactly ${expectedCount} values${describe(layers)}, found ${count} (wrong weights file for this network?)`);
  }
  return values;
}

function checkLabel(fields: string[], [type, neurons]: [string, number[]], index: number, file: string, line: number): void {
  if (fields.length < 2 || (fields[1] !== 'a' && fields[1] !== 'b')) return;
  const want = [type, String(index), ...neurons.map(String)];
  const got = fields.slice(1, 1 + want.length);
  for (let k = 0; k < want.length; ++k) {
    if (k >= 2) n2p2Integer(got[k], file, line, 'a neuron label');
    if (got[k] !== want[k]) {
      throw new ParseError(file, line, `connection ${index} labelled '${want.join(' ')}' (the file was written for another network topology)`, fields.join(' '));
    }
  }
}

/**
 * Reads a weights file (see {@link parseN2p2Weights}).
 * @throws PolymorphError `E_IO` when the file cannot be read (the message names the path).
 */
export function readN2p2Weights(path: string, expectedCount: number, layers?: readonly number[]): Float64Array {
  return parseN2p2Weights(readN2p2Text(path), path, expectedCount, layers);
}

/** n2p2's header of a weights file, verbatim. */
export const weightsFileHeader = [
  '################################################################################',
  '# Neural network connection values (weights and biases).',
  '################################################################################',
  '# Col  Name       Description',
  '################################################################################',
  '# 1    connection Neural network connection value.',
  '# 2    t          Connection type (a = weight, b = bias).',
  '# 3    index      Index enumerating weights.',
  '# 4    l_s        Starting point layer (end point layer for biases).',
  '# 5    n_s        Starting point neuron in starting layer (end point neuron for biases).',
  '# 6    l_e        End point layer.',
  '# 7    n_e        End point neuron in end layer.',
  '################################################################################',
  '#                      1 2         3     4     5     6     7',
  '#             connection t     index   l_s   n_s   l_e   n_e',
  '############################################################',
].join('\n') + '\n';

/**
 * The text of a weights file exactly as n2p2 writes it: the header, then one line per connection,
 * `%24.16E a %9d %5d %5d %5d %5d` for weights and `%24.16E b %9d %5d %5d` for biases.
 * @throws PolymorphError `E_SHAPE` if `values.length` is not {@link connectionCount}(layers), `E_VALUE` for non-finite values.
 */
export function formatN2p2Weights(values: Float64Array, layers: readonly number[]): string {
  checkLayers(layers, 'formatN2p2Weights');
  const count = connectionCount(layers);
  if (values.length !== count) {
    throw new PolymorphError('E_SHAPE', `formatN2p2Weights: layers ${layers.join('-')} need ${count} values, got ${values.length}`);
  }
  const out: string[] = [weightsFileHeader];
  let index = 0;
  for (const [type, neurons] of connectionLabels(layers)) {
    const x = values[index++];
    if (!Number.isFinite(x)) throw new PolymorphError('E_VALUE', `formatN2p2Weights: connection ${index} is ${x}`);
    const [first, ...rest] = neurons;
    out.push(`${formatE(x)} ${type} ${String(index).padStart(9)} ${String(first).padStart(5)}${rest.map((n) => ` ${String(n).padStart(5)}`).join('')}\n`);
  }
  return out.join('');
}
