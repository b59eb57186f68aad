/**
 * The ZnO polymorphs of nucleation studies beyond wurtzite, zincblende and rocksalt (in
 * `crystals.ts`): h-BN, BCT (β-BeO type), sodalite and cubane. Conventional cells, Å; the default
 * symbols are Zn (cation) and O (anion). Reference data: `../shared/data/reference/structures`.
 * @module
 */
import { PolymorphError } from '../core/errors';
import { cellFromParameters } from '../structure/cell';
import { Structure } from '../structure/structure';
import { fromFractional } from './crystals';

function positive(x: number, what: string): number {
  if (!(typeof x === 'number' && Number.isFinite(x) && x > 0)) throw new PolymorphError('E_VALUE', `${what} must be a positive number of Å, got ${x}`);
  return x;
}

function fraction(x: number, what: string): number {
  if (!(typeof x === 'number' && x > 0 && x < 0.5)) throw new PolymorphError('E_VALUE', `${what} must lie in (0, ½), got ${x}`);
  return x;
}

function hexagonalRows(a: number, c: number): number[][] {
  const d = cellFromParameters([a, a, c, 90, 90, 120]).data;
  return [[d[0], d[1], d[2]], [d[3], d[4], d[5]], [d[6], d[7], d[8]]];
}

/**
 * Planar hexagonal ZnO (the h-BN or "5-5" phase, B_k, P6₃/mmc; 4 atoms): cations at 2c
 * (⅓,⅔,¼), (⅔,⅓,¾), anions at 2d (⅓,⅔,¾), (⅔,⅓,¼); each ion has 3 neighbours in its plane and 2
 * along c. Defaults a = 3.45 Å, c = 4.46 Å: Li, Zhang, Ren & Reimers, arXiv:2511.09912 (re-refined
 * room-temperature data of ZnO nanocrystals, in line with DFT).
 */
export function hexagonalBoronNitride(symbols: [string, string] = ['Zn', 'O'], a = 3.45, c = 4.46): Structure {
  positive(a, 'h-BN a');
  positive(c, 'h-BN c');
  const frac = [[1 / 3, 2 / 3, 0.25], [2 / 3, 1 / 3, 0.75], [1 / 3, 2 / 3, 0.75], [2 / 3, 1 / 3, 0.25]];
  return fromFractional(hexagonalRows(a, c), frac, [symbols[0], symbols[0], symbols[1], symbols[1]]);
}

/**
 * Body-centred tetragonal ZnO (BCT-4, β-BeO type, P4₂/mnm; 8 atoms): cations at 4f (x,x,0),
 * (−x,−x,0), (½−x,½+x,½), (½+x,½−x,½), anions at 4g (x′,−x′,0), (−x′,x′,0), (½+x′,½+x′,½),
 * (½−x′,½−x′,½); square Zn₂O₂ rings joined into four- and eight-membered channels along c, each ion
 * four-coordinated. Defaults (a = 5.587 Å, c = 3.223 Å, x = x′ = 0.32279) are the idealised cell of
 * the project's reference data: four bonds of 1.98 Å and the c/a of β-BeO (Smith, Newkirk & Kahn,
 * Acta Cryst. 18, 393 (1965)); relax it with the potential in use (`relaxLattice`, `minimize`).
 */
export function bodyCenteredTetragonal(symbols: [string, string] = ['Zn', 'O'], a = 5.587, c = 3.223, x = 0.32279, xAnion = x): Structure {
  positive(a, 'BCT a');
  positive(c, 'BCT c');
  fraction(x, 'BCT x');
  fraction(xAnion, 'BCT anion x');
  const y = xAnion;
  const frac = [
    [x, x, 0], [1 - x, 1 - x, 0], [0.5 - x, 0.5 + x, 0.5], [0.5 + x, 0.5 - x, 0.5],
    [y, 1 - y, 0], [1 - y, y, 0], [0.5 + y, 0.5 + y, 0.5], [0.5 - y, 0.5 - y, 0.5],
  ];
  return fromFractional([[a, 0, 0], [0, a, 0], [0, 0, c]], frac, [...Array(4).fill(symbols[0]), ...Array(4).fill(symbols[1])]);
}

/**
 * Sodalite ZnO (the binary SOD net, P-43n; 12 atoms): cations at 6c (¼,0,½), (¾,0,½), (½,¼,0),
 * (½,¾,0), (0,½,¼), (0,½,¾), anions at 6d (¼,½,0), (¾,½,0), (0,¼,½), (0,¾,½), (½,0,¼), (½,0,¾);
 * Zn₁₂O₁₂ β-cages of four- and six-membered rings, each ion four-coordinated, bond a√2/4. No
 * internal parameter; the default a = 5.60 Å gives bonds of 1.98 Å. The low-density ZnO polymorph of
 * Carrasco, Illas & Bromley, Phys. Rev. Lett. 99, 235502 (2007).
 */
export function sodalite(symbols: [string, string] = ['Zn', 'O'], a = 5.6): Structure {
  positive(a, 'sodalite a');
  const cation = [[0.25, 0, 0.5], [0.75, 0, 0.5], [0.5, 0.25, 0], [0.5, 0.75, 0], [0, 0.5, 0.25], [0, 0.5, 0.75]];
  const anion = [[0.25, 0.5, 0], [0.75, 0.5, 0], [0, 0.25, 0.5], [0, 0.75, 0.5], [0.5, 0, 0.25], [0.5, 0, 0.75]];
  return fromFractional([[a, 0, 0], [0, a, 0], [0, 0, a]], [...cation, ...anion], [...Array(6).fill(symbols[0]), ...Array(6).fill(symbols[1])]);
}

/**
 * "Cubane" ZnO: a framework of Zn₄O₄ cubane units (I-43m; 16 atoms in the conventional cubic cell).
 * Each cube of edge `bond` has its four cations and four anions on alternate corners; cubes of one
 * orientation sit on a bcc lattice, and each corner bonds to the opposite-species corner of the
 * neighbouring cube along ⟨111⟩, so that every ion has three bonds in its cube (90°) and one out
 * of it (125°), all of length `bond`: a = 2·bond·(1 + 1/√3) (6.246 Å for 1.98 Å, 30.5 Å³ per ZnO,
 * the least dense of these polymorphs).
 *
 * Source: the nucleation study of Salazar et al. (npj Comput. Mater. 10, 199 (2024)) lists a
 * "cubane" phase without coordinates here, and no structure of that name was found in the
 * literature or code indexed for this project. This is our construction of the phase its name
 * describes (cubane Zn₄O₄ units as the building block, four-coordinated ions, stoichiometric); it is
 * not checked against their supplementary data. Relax it with the potential in use before use.
 */
export function cubane(symbols: [string, string] = ['Zn', 'O'], bond = 1.98): Structure {
  positive(bond, 'cubane bond length');
  const a = 2 * bond * (1 + 1 / Math.sqrt(3));
  const h = bond / 2 / a;  // half a cube edge, fractional
  const cation: number[][] = [], anion: number[][] = [];
  for (const centre of [[0, 0, 0], [0.5, 0.5, 0.5]]) {
    for (const sx of [1, -1]) for (const sy of [1, -1]) for (const sz of [1, -1]) {
      const f = [centre[0] + sx * h, centre[1] + sy * h, centre[2] + sz * h].map((v) => v - Math.floor(v));
      (sx * sy * sz > 0 ? cation : anion).push(f);
    }
  }
  return fromFractional([[a, 0, 0], [0, a, 0], [0, 0, a]], [...cation, ...anion], [...Array(8).fill(symbols[0]), ...Array(8).fill(symbols[1])]);
}
