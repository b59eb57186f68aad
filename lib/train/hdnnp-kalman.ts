/**
 * n2p2's global extended Kalman filter as an optimiser of {@link trainHdnnp}
 * (`optimizer: { type: 'kalman' }`): settings, defaults read from the `input.nn` being trained
 * (its `kalman_*`, `force_weight`, `short_*_fraction`, `short_*_error_threshold` and
 * `rmse_threshold_trials` lines, as nnp-train reads them) and the epoch call. Formulas in
 * native/core/hdnnp_kalman.hpp.
 * @module
 * @internal
 */
import { PolymorphError } from '../core/errors';
import type { NativeKalmanSettings } from '../core/native-types';
import { checkOptions } from '../core/options';
import type { N2p2Settings } from '../potentials/n2p2-settings';

/** The Kalman filter's settings (n2p2's names in brackets; every one optional). */
export interface HdnnpKalman {
  type: 'kalman';
  /** P₀ = I/ε (`kalman_epsilon`, default 0.01). */
  epsilon?: number;
  /** Process noise q₀, its decay per epoch and floor (`kalman_q0` 0.01, `kalman_qtau` 2.302, `kalman_qmin` 1e-6). */
  q0?: number;
  qtau?: number;
  qmin?: number;
  /** Learning rate η₀, its growth per epoch and ceiling (`kalman_eta` 0.01, `kalman_etatau` 2.302, `kalman_etamax` 1). */
  eta0?: number;
  etatau?: number;
  etamax?: number;
  /** Scale of force errors and Jacobians (`force_weight`, default 1). */
  forceWeight?: number;
  /** Energy updates per training structure and force updates per training force component, per epoch (`short_energy_fraction` 1, `short_force_fraction` 0.02). */
  energyFraction?: number;
  forceFraction?: number;
  /** Accept a candidate whose error exceeds this × the training RMSE (`short_energy_error_threshold` 0, `short_force_error_threshold` 1). */
  energyThreshold?: number;
  forceThreshold?: number;
  /** Candidates drawn before the largest is taken (`rmse_threshold_trials`, default 3). */
  thresholdTrials?: number;
  /** Structures whose symmetry-function derivatives are held at once (default 8; memory ≈ pool × one structure's derivatives). */
  pool?: number;
}

const KEYS: [keyof NativeKalmanSettings, string, number][] = [
  ['epsilon', 'kalman_epsilon', 0.01], ['q0', 'kalman_q0', 0.01], ['qtau', 'kalman_qtau', 2.302], ['qmin', 'kalman_qmin', 1e-6],
  ['eta0', 'kalman_eta', 0.01], ['etatau', 'kalman_etatau', 2.302], ['etamax', 'kalman_etamax', 1], ['forceWeight', 'force_weight', 1],
  ['energyFraction', 'short_energy_fraction', 1], ['forceFraction', 'short_force_fraction', 0.02],
  ['energyThreshold', 'short_energy_error_threshold', 0], ['forceThreshold', 'short_force_error_threshold', 1],
  ['thresholdTrials', 'rmse_threshold_trials', 3],
];

/**
 * The native settings: explicit options, else the value of the settings' n2p2 keyword, else n2p2's
 * default. `E_VALUE` for a negative or non-finite value.
 */
export function kalmanSettings(options: HdnnpKalman, settings: N2p2Settings, what: string): NativeKalmanSettings {
  checkOptions(options, ['type', 'pool', ...KEYS.map(([name]) => name)], `${what} optimizer`);
  const fromFile = new Map(settings.extra.map((x) => [x.keyword, x.value.trim().split(/\s+/)[0]]));
  const out = { pool: options.pool ?? 8 } as NativeKalmanSettings;
  for (const [name, keyword, fallback] of KEYS) {
    const given = (options as unknown as Record<string, number | undefined>)[name];
    const file = fromFile.has(keyword) ? Number(fromFile.get(keyword)) : undefined;
    const value = given ?? file ?? fallback;
    if (!(typeof value === 'number' && Number.isFinite(value) && value >= 0)) {
      throw new PolymorphError('E_VALUE', `${what}: Kalman ${name} (${keyword}) must be a finite number ≥ 0, got ${String(given ?? fromFile.get(keyword))}`);
    }
    out[name] = value;
  }
  if (!(out.epsilon > 0 && out.eta0 > 0 && out.etamax > 0)) throw new PolymorphError('E_VALUE', `${what}: Kalman epsilon, eta0 and etamax must be > 0`);
  if (!(Number.isInteger(out.thresholdTrials) && out.thresholdTrials >= 1)) throw new PolymorphError('E_VALUE', `${what}: Kalman thresholdTrials must be a positive integer`);
  if (!(Number.isInteger(out.pool) && out.pool >= 1)) throw new PolymorphError('E_VALUE', `${what}: Kalman pool must be a positive integer`);
  if (out.energyFraction + out.forceFraction === 0) throw new PolymorphError('E_VALUE', `${what}: Kalman energyFraction and forceFraction are both 0`);
  return out;
}
