/**
 * The line grammar and keyword table of n2p2's `input.nn` (`specs/n2p2-formats.md` §1.1): comments,
 * keyword/value splitting, known keywords with their alternative spellings, and the checks n2p2
 * makes before interpreting anything (a known keyword given twice, two spellings of one keyword).
 *
 * Grammar, per line (1-based numbers in messages): the text from the first `#` and then from the
 * first `!` is a comment; a line of spaces only is skipped; blanks (spaces, TABs) are reduced to
 * single spaces; the keyword is the first field and the value the rest (`""` for flags).
 *
 * Decisions: n2p2 treats a line that becomes blank only after removing TABs as an empty keyword and
 * warns; polymorph skips it with the same warning. A repeated known keyword (except the repeatable
 * ones) and two spellings of one keyword are ParseErrors at the later line (n2p2 aborts on both).
 * Unknown keywords are warnings (n2p2 warns and ignores them). Carriage returns are refused.
 *
 * The table of known keywords is n2p2 v2.3's as the spec lists it (prediction, 4G-HDNNP and
 * training keywords); a keyword missing from it only changes a repetition error into a warning.
 * @module
 */
import { ParseError } from '../core/errors';
import { n2p2Fields, n2p2Lines } from './n2p2-text';

/** One keyword line of `input.nn`. */
export interface KeywordLine {
  /** The keyword as written (possibly an alternative spelling). */
  keyword: string;
  /** The main spelling of a known keyword, or undefined for an unknown one. */
  main: string | undefined;
  /** The value: the rest of the line, blanks reduced to single spaces, `""` for none. */
  value: string;
  /** 1-based line number. */
  line: number;
}

const PREDICTION = [
  'number_of_elements', 'elements', 'atom_energy', 'cutoff_type', 'symfunction_short',
  'scale_symmetry_functions', 'scale_min_short', 'scale_max_short', 'center_symmetry_functions',
  'scale_symmetry_functions_sigma', 'global_hidden_layers_short', 'global_nodes_short', 'global_activation_short',
  'element_hidden_layers_short', 'element_nodes_short', 'element_activation_short', 'normalize_nodes',
  'mean_energy', 'conv_energy', 'conv_length', 'conv_charge', 'nnp_type',
];

const ELECTROSTATIC = [
  'global_hidden_layers_electrostatic', 'global_nodes_electrostatic', 'global_activation_electrostatic',
  'element_hidden_layers_electrostatic', 'element_nodes_electrostatic', 'element_activation_electrostatic',
  'fixed_gausswidth', 'initial_hardness', 'ewald_truncation_error_method', 'ewald_prec', 'screen_electrostatics',
  'four_pi_epsilon',
];

const TRAINING = [
  'random_seed', 'test_fraction', 'epochs', 'normalize_data_set', 'use_short_forces', 'force_weight',
  'energy_fraction', 'force_fraction', 'charge_fraction', 'force_energy_ratio',
  'rmse_threshold', 'rmse_threshold_energy', 'rmse_threshold_force', 'rmse_threshold_charge',
  'rmse_threshold_trials', 'rmse_threshold_trials_energy', 'rmse_threshold_trials_force', 'rmse_threshold_trials_charge',
  'use_old_weights_short', 'use_old_weights_charge', 'weights_min', 'weights_max',
  'nguyen_widrow_weights_short', 'nguyen_widrow_weights_charge', 'precondition_weights', 'main_error_metric',
  'write_trainpoints', 'write_trainforces', 'write_traincharges', 'write_weights_epoch', 'write_neuronstats',
  'write_trainlog', 'repeated_energy_update', 'updater_type', 'parallel_mode', 'jacobian_mode', 'update_strategy',
  'selection_mode', 'selection_mode_energy', 'selection_mode_force', 'selection_mode_charge',
  'task_batch_size_energy', 'task_batch_size_force', 'task_batch_size_charge',
  'gradient_type', 'gradient_eta', 'gradient_adam_eta', 'gradient_adam_beta1', 'gradient_adam_beta2', 'gradient_adam_epsilon',
  'kalman_type', 'kalman_epsilon', 'kalman_eta', 'kalman_etatau', 'kalman_etamax', 'kalman_q0', 'kalman_qtau',
  'kalman_qmin', 'kalman_lambda_short', 'kalman_nue_short', 'memorize_symfunc_results',
];

const ALTERNATIVES: Record<string, string[]> = {
  symfunction_short: ['symfunction'],
  nnp_type: ['nnp_generation', 'nnp_type_gen', 'nnp_gen'],
  rmse_threshold_energy: ['short_energy_error_threshold'],
  rmse_threshold_force: ['short_force_error_threshold'],
  energy_fraction: ['short_energy_fraction'],
  force_fraction: ['short_force_fraction'],
};

/** Known keywords that may appear more than once (n2p2's exception list). */
export const repeatableKeywords: ReadonlySet<string> = new Set([
  'symfunction_short', 'atom_energy', 'element_nodes_short', 'fixed_gausswidth', 'initial_hardness',
]);

const MAIN = new Map<string, string>();
for (const k of [...PREDICTION, ...ELECTROSTATIC, ...TRAINING]) MAIN.set(k, k);
for (const [main, alternatives] of Object.entries(ALTERNATIVES)) for (const a of alternatives) MAIN.set(a, main);

/** The main spelling of a known keyword (`symfunction` → `symfunction_short`), or undefined for an unknown keyword. */
export function mainKeyword(keyword: string): string | undefined {
  return MAIN.get(keyword);
}

/**
 * Splits `input.nn` text into keyword lines (file order) and checks repetitions and spellings.
 * Warnings (unknown keywords, TAB-only lines) are returned as `file:line: text` strings.
 * @throws ParseError for CR line ends, a repeated non-repeatable known keyword, or two spellings of one keyword.
 */
export function parseKeywordLines(text: string, file: string): { entries: KeywordLine[]; warnings: string[] } {
  const entries: KeywordLine[] = [];
  const warnings: string[] = [];
  const first = new Map<string, KeywordLine>();
  n2p2Lines(text, file).forEach((raw, i) => {
    const line = i + 1;
    let body = raw;
    if (body.includes('#')) body = body.slice(0, body.indexOf('#'));
    if (body.includes('!')) body = body.slice(0, body.indexOf('!'));
    if (/^ *$/.test(body)) return;
    const fields = n2p2Fields(body);
    if (fields.length === 0) {
      warnings.push(`${file}:${line}: a line of blanks with TABs (n2p2 reads it as an empty unknown keyword); ignored`);
      return;
    }
    const entry: KeywordLine = { keyword: fields[0], main: mainKeyword(fields[0]), value: fields.slice(1).join(' '), line };
    if (entry.main === undefined) {
      warnings.push(`${file}:${line}: unknown keyword '${entry.keyword}' (n2p2 ignores it with a warning); kept as an extra keyword`);
    } else {
      const previous = first.get(entry.main);
      if (previous && previous.keyword !== entry.keyword) {
        throw new ParseError(file, line, `one spelling of '${entry.main}' (line ${previous.line} uses '${previous.keyword}'; n2p2 aborts when two spellings are used)`, raw);
      }
      if (previous && !repeatableKeywords.has(entry.main)) {
        throw new ParseError(file, line, `'${entry.keyword}' at most once (already given on line ${previous.line}; n2p2 aborts on a repeated keyword)`, raw);
      }
      if (!previous) first.set(entry.main, entry);
    }
    entries.push(entry);
  });
  return { entries, warnings };
}
