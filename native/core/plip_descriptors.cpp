// PLIP descriptors: per-atom kernel, design-matrix rows and weight contraction (formulas in
// plip_descriptors.hpp).
//
// Parallel scheme: atoms are evaluated in parallel into per-atom storage (values, slot
// gradients, virials); sums over atoms are then gathered in a fixed order, forces per target
// atom (its own slots, then the slots of other atoms that point at it, in list order) and
// energies/virials atom by atom. No thread-private partial sums, so results do not depend on
// the thread count. Rows mode works through chunks of consecutive atoms whose slot gradients
// ∂χ_i/∂d fit in kChunkDoubles (32 MB; chunk boundaries depend only on the neighbour counts):
// each chunk's gradients are scattered into the [3n, F] force rows (one thread per target atom,
// chunks in order) and dropped, so memory is the output plus one chunk, not M·F_c·3 doubles for
// all M neighbour slots. The contraction keeps only Σ_f w_f ∂χ_if/∂d (M·3).
#include "core/plip_descriptors.hpp"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "core/error.hpp"
#include "core/evaluator.hpp"
#include "core/fast_math.hpp"
#include "core/geometry.hpp"
#include "core/neighbor_list.hpp"
#include "core/threads.hpp"

namespace polymorph {
namespace {

constexpr double kPi = 3.14159265358979323846;

void checkGrid(const PlipGrid& grid, const char* what) {
  require(!grid.widths.empty(), "E_VALUE", std::string("PLIP: the ") + what + " grid is empty");
  require(grid.widths.size() == grid.centres.size(), "E_SHAPE",
          std::string("PLIP: the ") + what + " grid needs as many widths as centres");
  for (std::size_t g = 0; g < grid.size(); ++g) {
    require(std::isfinite(grid.widths[g]) && grid.widths[g] > 0, "E_VALUE",
            std::string("PLIP: ") + what + " grid widths a must be positive and finite (1/Å²)");
    require(std::isfinite(grid.centres[g]), "E_VALUE", std::string("PLIP: ") + what + " grid centres must be finite (Å)");
  }
}

// Quintic smoothstep f_s between r1 = 0.95 R_short and r2 = 1.05 R_short: value and d/dr.
inline void smoothStep(double r, double rShort, double& f, double& df) {
  const double r1 = 0.95 * rShort, r2 = 1.05 * rShort;
  if (r <= r1) {
    f = 0.0, df = 0.0;
  } else if (r >= r2) {
    f = 1.0, df = 0.0;
  } else {
    const double h = r2 - r1, u = (r - r1) / h, u2 = u * u;
    f = u2 * u * (10.0 + u * (6.0 * u - 15.0));
    df = 30.0 * u2 * (u - 1.0) * (u - 1.0) / h;
  }
}

// Per-thread work arrays of the atom kernel.
struct Scratch {
  std::vector<double> r, unit, fc, dfc, phi, dphi, rho, drho, values, grad;
  std::vector<int> element;
};

// φ_g(r) = exp(−a(r−b)²) f_c(r) and dφ_g/dr for every slot m and grid point g: [m*G + g].
POLYMORPH_CLONES void radial(const PlipGrid& grid, const Scratch& s, std::size_t slots, std::vector<double>& phi,
            std::vector<double>& dphi) {
  const std::size_t G = grid.size();
  phi.resize(slots * G);
  dphi.resize(slots * G);
  for (std::size_t m = 0; m < slots; ++m) {
    for (std::size_t g = 0; g < G; ++g) {
      const double x = s.r[m] - grid.centres[g];
      const double e = fastExp(-grid.widths[g] * x * x);
      phi[m * G + g] = e * s.fc[m];
      dphi[m * G + g] = e * (s.dfc[m] - 2.0 * grid.widths[g] * x * s.fc[m]);
    }
  }
}

struct Context {
  const PlipDescriptorSet* set;
  const PlipStructure* in;
  const NeighborListData* list;
  std::vector<int> pairIndex;  // T×T → index of the unordered neighbour pair (b1 ≤ b2)
};

// Values [F_c] of atom i in s.values and, when `gradient`, ∂χ/∂d per slot in s.grad [M][F_c][3].
POLYMORPH_CLONES void atomKernel(const Context& ctx, std::size_t i, bool gradient, Scratch& s) {
  const PlipSettings& set = ctx.set->settings();
  const NeighborListData& list = *ctx.list;
  const std::size_t Fc = ctx.set->featuresPerElement();
  const int T = set.elements;
  const int c = ctx.in->types[i];
  const int32_t begin = list.rowPtr[i];
  const std::size_t M = static_cast<std::size_t>(list.rowPtr[i + 1] - begin);
  s.values.assign(Fc, 0.0);
  if (gradient) s.grad.assign(M * Fc * 3, 0.0);
  s.r.resize(M), s.unit.resize(3 * M), s.fc.resize(M), s.dfc.resize(M), s.element.resize(M);
  const double k = kPi / set.cutoff;
  for (std::size_t m = 0; m < M; ++m) {
    const std::size_t p = static_cast<std::size_t>(begin) + m;
    const double r = list.distances[p];
    s.r[m] = r;
    for (int a = 0; a < 3; ++a) s.unit[3 * m + a] = list.vectors[3 * p + a] / r;
    s.fc[m] = 0.5 * (1.0 + std::cos(k * r));
    s.dfc[m] = -0.5 * k * std::sin(k * r);
    s.element[m] = ctx.in->types[list.neighbors[p]];
  }
  double* const val = s.values.data();
  double* const grad = s.grad.data();
  auto addRadial = [&](std::size_t m, std::size_t f, double dr) {  // ∂/∂d = dr · d̂
    double* gp = grad + (m * Fc + f) * 3;
    gp[0] += dr * s.unit[3 * m], gp[1] += dr * s.unit[3 * m + 1], gp[2] += dr * s.unit[3 * m + 2];
  };

  if (set.twoBody) {
    const std::size_t G = set.twoBodyGrid.size();
    radial(set.twoBodyGrid, s, M, s.phi, s.dphi);
    for (std::size_t m = 0; m < M; ++m) {
      const std::size_t f0 = static_cast<std::size_t>(s.element[m]) * G;
      for (std::size_t g = 0; g < G; ++g) {
        val[f0 + g] += s.phi[m * G + g];
        if (gradient) addRadial(m, f0 + g, s.dphi[m * G + g]);
      }
    }
  }

  if (set.lmax >= 0) {
    const std::size_t G = set.threeBodyGrid.size(), L = static_cast<std::size_t>(set.lmax) + 1;
    radial(set.threeBodyGrid, s, M, s.phi, s.dphi);
    for (std::size_t j = 0; j < M; ++j) {
      const double* uj = &s.unit[3 * j];
      for (std::size_t q = j + 1; q < M; ++q) {
        const double* uq = &s.unit[3 * q];
        const double cosine = uj[0] * uq[0] + uj[1] * uq[1] + uj[2] * uq[2];
        const std::size_t f0 = ctx.set->threeBodyOffset() +
                               static_cast<std::size_t>(ctx.pairIndex[s.element[j] * T + s.element[q]]) * L * G;
        // ∂cosθ/∂d_j = (d̂_q − cosθ d̂_j)/r_j, and the same with j ↔ q.
        double dcj[3], dcq[3];
        for (int a = 0; a < 3; ++a) {
          dcj[a] = (uq[a] - cosine * uj[a]) / s.r[j];
          dcq[a] = (uj[a] - cosine * uq[a]) / s.r[q];
        }
        double power = 1.0, dpower = 0.0;  // cos^l θ and l cos^(l−1) θ
        for (std::size_t l = 0; l < L; ++l) {
          for (std::size_t g = 0; g < G; ++g) {
            const double pj = s.phi[j * G + g], pq = s.phi[q * G + g], product = pj * pq;
            const std::size_t f = f0 + l * G + g;
            val[f] += product * power;
            if (gradient) {
              double* gj = grad + (j * Fc + f) * 3;
              double* gq = grad + (q * Fc + f) * 3;
              const double rj = s.dphi[j * G + g] * pq * power, rq = pj * s.dphi[q * G + g] * power;
              const double ang = product * dpower;
              for (int a = 0; a < 3; ++a) {
                gj[a] += rj * uj[a] + ang * dcj[a];
                gq[a] += rq * uq[a] + ang * dcq[a];
              }
            }
          }
          dpower = static_cast<double>(l + 1) * power;
          power *= cosine;
        }
      }
    }
  }

  if (set.mmax >= 4) {
    const std::size_t G = set.nBodyGrid.size(), P = static_cast<std::size_t>(set.mmax - 3);
    radial(set.nBodyGrid, s, M, s.phi, s.dphi);
    s.rho.assign(static_cast<std::size_t>(T) * G, 0.0);
    s.drho.resize(M * G);
    for (std::size_t m = 0; m < M; ++m) {
      double fs, dfs;
      smoothStep(s.r[m], set.rShort[static_cast<std::size_t>(c * T + s.element[m])], fs, dfs);
      for (std::size_t g = 0; g < G; ++g) {
        s.rho[static_cast<std::size_t>(s.element[m]) * G + g] += s.phi[m * G + g] * fs;
        s.drho[m * G + g] = s.dphi[m * G + g] * fs + s.phi[m * G + g] * dfs;
      }
    }
    for (int b = 0; b < T; ++b) {
      for (std::size_t e = 0; e < P; ++e) {
        const int exponent = static_cast<int>(e) + 4;
        for (std::size_t g = 0; g < G; ++g) {
          const double rho = s.rho[static_cast<std::size_t>(b) * G + g];
          const std::size_t f = ctx.set->nBodyOffset() + (static_cast<std::size_t>(b) * P + e) * G + g;
          const double below = std::pow(rho, exponent - 1);
          val[f] = below * rho;
          if (!gradient) continue;
          const double factor = exponent * below;
          for (std::size_t m = 0; m < M; ++m) {
            if (s.element[m] == b) addRadial(m, f, factor * s.drho[m * G + g]);
          }
        }
      }
    }
  }
}

void validateStructure(const PlipStructure& in, int types) {
  require(in.n > 0, "E_EMPTY", "PLIP: the structure has no atoms");
  require(in.positions != nullptr && in.types != nullptr, "E_VALUE", "PLIP: positions or types are missing");
  require(in.n <= static_cast<std::size_t>(std::numeric_limits<int32_t>::max()), "E_SIZE", "PLIP: too many atoms");
  if (const std::size_t k = firstNonFinite(in.positions, 3 * in.n); k < 3 * in.n) {
    throw Error("E_VALUE", "PLIP: position of atom " + std::to_string(k / 3) + " is not finite");
  }
  for (std::size_t i = 0; i < in.n; ++i) {
    if (in.types[i] >= 0 && in.types[i] < types) continue;
    require(false, "E_VALUE",
            "PLIP: element index " + std::to_string(in.types[i]) + " of atom " + std::to_string(i) + " is out of range");
  }
  if (in.cell != nullptr) {
    for (int k = 0; k < 9; ++k) require(std::isfinite(in.cell[k]), "E_CELL", "PLIP: the cell is not finite");
  }
  if (in.pbc[0] || in.pbc[1] || in.pbc[2]) require(in.cell != nullptr, "E_CELL", "PLIP: a periodic structure needs a cell");
}

double cellVolume(const double* cell) {
  require(cell != nullptr, "E_CELL", "PLIP: stress needs a cell (its volume); the structure has none");
  Mat3 m;
  std::copy(cell, cell + 9, m.begin());
  double scale = 0.0;
  for (int k = 0; k < 3; ++k) scale = std::max(scale, std::sqrt(dot(row(m, k), row(m, k))));
  const double volume = std::fabs(determinant(m));
  require(scale > 0.0 && volume > 1e-12 * scale * scale * scale, "E_CELL", "PLIP: stress needs a non-singular cell");
  return volume;
}

// The full list with vectors: built into `own`, or derived from the caller's list (into the
// caller's scratch when given, else `own`).
const NeighborListData& fullList(const PlipStructure& in, double cutoff, NeighborListData& own) {
  NeighborListData* target = &own;
  if (in.list != nullptr) {
    checkNeighborListFor(*in.list, in.n, cutoff, "PLIP");
    if (in.scratch != nullptr) target = in.scratch;
    deriveNeighborList(*in.list, in.positions, in.cell, in.n, cutoff, true, 1.0, *target);
  } else {
    NeighborListInput nl;
    nl.positions = in.positions;
    nl.n = in.n;
    nl.cell = in.cell;
    for (int a = 0; a < 3; ++a) nl.pbc[a] = in.pbc[a];
    nl.cutoff = cutoff;
    nl.full = true;
    own = buildNeighborList(nl);
  }
  const NeighborListData& list = *target;
  const std::size_t M = list.distances.size();
  for (std::size_t p = 0; p < M; ++p) {
    require(list.distances[p] > 1e-8, "E_VALUE", "PLIP: two atoms overlap (distance below 1e-8 Å)");
  }
  return list;
}

// For each atom k, the list slots p (in ascending order) whose neighbour is k: [start[k], start[k+1]).
void reverseSlots(const NeighborListData& list, std::size_t n, std::vector<int32_t>& start, std::vector<int32_t>& slots) {
  const std::size_t M = list.neighbors.size();
  start.assign(n + 1, 0);
  for (std::size_t p = 0; p < M; ++p) ++start[static_cast<std::size_t>(list.neighbors[p]) + 1];
  for (std::size_t k = 0; k < n; ++k) start[k + 1] += start[k];
  slots.resize(M);
  std::vector<int32_t> next(start.begin(), start.end() - 1);
  for (std::size_t p = 0; p < M; ++p) slots[static_cast<std::size_t>(next[list.neighbors[p]]++)] = static_cast<int32_t>(p);
}

// The atom that owns list slot p (binary search in rowPtr).
inline std::size_t ownerOf(const NeighborListData& list, std::size_t n, int32_t p) {
  const int32_t* rows = list.rowPtr.data();
  return static_cast<std::size_t>(std::upper_bound(rows, rows + n + 1, p) - rows) - 1;
}

// Runs body(i, scratch) for every atom in parallel, exceptions re-thrown on the caller.
template <class Body>
void forEachAtom(std::size_t n, Body&& body) {
  ParallelExceptions guard;
  const long count = static_cast<long>(n);
#pragma omp parallel num_threads(numThreads())
  {
    Scratch scratch;
#pragma omp for schedule(dynamic, 4)
    for (long i = 0; i < count; ++i) {
      if (guard.failed()) continue;
      guard.run([&] { body(static_cast<std::size_t>(i), scratch); });
    }
  }
  guard.rethrow();
}

Context makeContext(const PlipDescriptorSet& set, const PlipStructure& in, const NeighborListData& list) {
  const int T = set.settings().elements;
  Context ctx{&set, &in, &list, std::vector<int>(static_cast<std::size_t>(T * T))};
  int index = 0;
  for (int a = 0; a < T; ++a) {
    for (int b = a; b < T; ++b) ctx.pairIndex[a * T + b] = ctx.pairIndex[b * T + a] = index++;
  }
  return ctx;
}

constexpr int kVoigt[6][2] = {{0, 0}, {1, 1}, {2, 2}, {1, 2}, {0, 2}, {0, 1}};

// Largest number of slot-gradient doubles held at once by rows() (32 MB): atoms are processed in
// chunks of consecutive atoms below this size (at least one atom per chunk).
constexpr std::size_t kChunkDoubles = std::size_t{1} << 22;

// Virial of one atom, Voigt per feature: v[f*6 + q] += ½ Σ_m (g_a d_b + g_b d_a) over its M slots.
void virialOf(const NeighborListData& list, std::size_t begin, std::size_t M, std::size_t Fc, const double* grad, double* v) {
  for (std::size_t m = 0; m < M; ++m) {
    const double* d = &list.vectors[3 * (begin + m)];
    for (std::size_t f = 0; f < Fc; ++f) {
      const double* g = &grad[(m * Fc + f) * 3];
      for (int q = 0; q < 6; ++q) {
        const int a = kVoigt[q][0], b = kVoigt[q][1];
        v[f * 6 + q] += 0.5 * (g[a] * d[b] + g[b] * d[a]);
      }
    }
  }
}

// row[a*F + f] += sign · g[f*3 + a] for the Fc features of one slot gradient (row points at the block).
inline void addGradient(const double* g, std::size_t Fc, std::size_t F, double sign, double* row) {
  for (std::size_t f = 0; f < Fc; ++f) {
    for (int a = 0; a < 3; ++a) row[a * F + f] += sign * g[f * 3 + a];
  }
}

}  // namespace

PlipDescriptorSet::PlipDescriptorSet(PlipSettings settings) : s_(std::move(settings)) {
  const int T = s_.elements;
  require(T >= 1 && T <= 1024, "E_VALUE", "PLIP: the number of elements must be 1…1024");
  require(std::isfinite(s_.cutoff) && s_.cutoff > 0, "E_VALUE", "PLIP: the cutoff must be positive and finite (Å)");
  require(s_.twoBody || s_.lmax >= 0 || s_.mmax >= 4, "E_VALUE", "PLIP: no descriptors (enable 2-body, 3-body or N-body)");
  const auto Tz = static_cast<std::size_t>(T);
  if (s_.twoBody) {
    checkGrid(s_.twoBodyGrid, "2-body");
    perElement_ += Tz * s_.twoBodyGrid.size();
  }
  offset3_ = perElement_;
  if (s_.lmax >= 0) {
    require(s_.lmax <= 64, "E_VALUE", "PLIP: lmax must be 0…64");
    checkGrid(s_.threeBodyGrid, "3-body");
    perElement_ += Tz * (Tz + 1) / 2 * static_cast<std::size_t>(s_.lmax + 1) * s_.threeBodyGrid.size();
  }
  offsetN_ = perElement_;
  if (s_.mmax >= 4) {
    require(s_.mmax <= 64, "E_VALUE", "PLIP: mmax must be at most 64");
    checkGrid(s_.nBodyGrid, "N-body");
    require(s_.rShort.size() == Tz * Tz, "E_SHAPE", "PLIP: rShort must hold T×T values");
    for (int a = 0; a < T; ++a) {
      for (int b = 0; b < T; ++b) {
        const double r = s_.rShort[static_cast<std::size_t>(a * T + b)];
        require(std::isfinite(r) && r > 0 && r < s_.cutoff, "E_VALUE", "PLIP: rShort must lie in (0, cutoff) Å");
        require(r == s_.rShort[static_cast<std::size_t>(b * T + a)], "E_VALUE", "PLIP: rShort must be symmetric");
      }
    }
    perElement_ += Tz * static_cast<std::size_t>(s_.mmax - 3) * s_.nBodyGrid.size();
  }
}

PlipRows PlipDescriptorSet::rows(const PlipStructure& in, bool forces, bool stress) const {
  validateStructure(in, s_.elements);
  const double volume = stress ? cellVolume(in.cell) : 1.0;
  NeighborListData own;
  const NeighborListData& list = fullList(in, s_.cutoff, own);
  const Context ctx = makeContext(*this, in, list);
  const std::size_t n = in.n, Fc = perElement_, F = features();
  const bool gradient = forces || stress;
  PlipRows out;
  out.features = F;
  out.atomDescriptors.assign(n * F, 0.0);
  if (stress) out.stressRows.assign(6 * F, 0.0);
  if (forces) out.forceRows.assign(3 * n * F, 0.0);
  std::vector<int32_t> start, slots, cursor;
  if (forces) {
    reverseSlots(list, n, start, slots);
    cursor.assign(start.begin(), start.end() - 1);
  }
  std::vector<double> slotGrad, atomVirial;
  // Chunks of consecutive atoms, cut where the chunk's slot gradients would exceed the budget
  // (a rule independent of the thread count).
  for (std::size_t i0 = 0; i0 < n;) {
    std::size_t i1 = i0 + 1;
    if (gradient) {
      while (i1 < n && static_cast<std::size_t>(list.rowPtr[i1 + 1] - list.rowPtr[i0]) * Fc * 3 <= kChunkDoubles) ++i1;
    } else {
      i1 = n;
    }
    const std::size_t p0 = static_cast<std::size_t>(list.rowPtr[i0]), p1 = static_cast<std::size_t>(list.rowPtr[i1]);
    if (forces) slotGrad.assign((p1 - p0) * Fc * 3, 0.0);
    if (stress) atomVirial.assign((i1 - i0) * Fc * 6, 0.0);
    forEachAtom(i1 - i0, [&](std::size_t local, Scratch& s) {
      const std::size_t i = i0 + local;
      atomKernel(ctx, i, gradient, s);
      const std::size_t c = static_cast<std::size_t>(in.types[i]);
      std::copy(s.values.begin(), s.values.end(), out.atomDescriptors.begin() + static_cast<long>(i * F + c * Fc));
      const std::size_t begin = static_cast<std::size_t>(list.rowPtr[i]);
      if (forces) std::copy(s.grad.begin(), s.grad.end(), slotGrad.begin() + static_cast<long>((begin - p0) * Fc * 3));
      if (stress) virialOf(list, begin, static_cast<std::size_t>(list.rowPtr[i + 1]) - begin, Fc, s.grad.data(), &atomVirial[local * Fc * 6]);
    });
    if (stress) {
      for (std::size_t i = i0; i < i1; ++i) {
        const std::size_t c0 = static_cast<std::size_t>(in.types[i]) * Fc;
        const double* v = &atomVirial[(i - i0) * Fc * 6];
        for (std::size_t f = 0; f < Fc; ++f) {
          for (int q = 0; q < 6; ++q) out.stressRows[q * F + c0 + f] += v[f * 6 + q];
        }
      }
    }
    if (forces) {
      // Each target atom k gathers, in list order, the chunk's slots that move it; one thread per k.
      forEachAtom(n, [&](std::size_t k, Scratch&) {
        double* row = &out.forceRows[3 * k * F];
        if (k >= i0 && k < i1) {  // −∂χ_k/∂r_k = +Σ_m ∂χ_k/∂d_km
          const std::size_t ck = static_cast<std::size_t>(in.types[k]) * Fc;
          for (int32_t p = list.rowPtr[k]; p < list.rowPtr[k + 1]; ++p) {
            addGradient(&slotGrad[(static_cast<std::size_t>(p) - p0) * Fc * 3], Fc, F, 1.0, row + ck);
          }
        }
        // −∂χ_i/∂r_k = −∂χ_i/∂d_im for every slot m of a chunk atom i pointing at k
        for (int32_t& e = cursor[k]; e < start[k + 1]; ++e) {
          const std::size_t p = static_cast<std::size_t>(slots[static_cast<std::size_t>(e)]);
          if (p >= p1) break;
          const std::size_t ci = static_cast<std::size_t>(in.types[ownerOf(list, n, static_cast<int32_t>(p))]) * Fc;
          addGradient(&slotGrad[(p - p0) * Fc * 3], Fc, F, -1.0, row + ci);
        }
      });
    }
    i0 = i1;
  }
  out.energyRow.assign(F, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    const double* row = &out.atomDescriptors[i * F];
    for (std::size_t f = 0; f < F; ++f) out.energyRow[f] += row[f];
  }
  if (stress) {
    for (double& x : out.stressRows) x /= volume;
  }
  return out;
}

PlipContracted PlipDescriptorSet::contract(const PlipStructure& in, const std::vector<double>& weights,
                                           const std::vector<double>& offsets, bool forces, bool stress) const {
  require(weights.size() == features(), "E_SHAPE",
          "PLIP: expected " + std::to_string(features()) + " weights, got " + std::to_string(weights.size()));
  require(offsets.size() == static_cast<std::size_t>(s_.elements), "E_SHAPE", "PLIP: expected one energy offset per element");
  for (double w : weights) require(std::isfinite(w), "E_VALUE", "PLIP: the weights must be finite");
  for (double o : offsets) require(std::isfinite(o), "E_VALUE", "PLIP: the energy offsets must be finite");
  validateStructure(in, s_.elements);
  const double volume = stress ? cellVolume(in.cell) : 1.0;
  NeighborListData own;
  const NeighborListData& list = fullList(in, s_.cutoff, own);
  const Context ctx = makeContext(*this, in, list);
  const std::size_t n = in.n, Fc = perElement_;
  const bool gradient = forces || stress;
  PlipContracted out;
  out.atomEnergies.assign(n, 0.0);
  std::vector<double> slotGrad(gradient ? 3 * list.neighbors.size() : 0);
  std::vector<double> atomVirial(stress ? 9 * n : 0);
  forEachAtom(n, [&](std::size_t i, Scratch& s) {
    atomKernel(ctx, i, gradient, s);
    const std::size_t c = static_cast<std::size_t>(in.types[i]);
    const double* w = &weights[c * Fc];
    double e = offsets[c];
    for (std::size_t f = 0; f < Fc; ++f) e += w[f] * s.values[f];
    out.atomEnergies[i] = e;
    if (!gradient) return;
    const std::size_t begin = static_cast<std::size_t>(list.rowPtr[i]);
    const std::size_t M = static_cast<std::size_t>(list.rowPtr[i + 1]) - begin;
    for (std::size_t m = 0; m < M; ++m) {
      double g[3] = {0, 0, 0};
      const double* gm = &s.grad[m * Fc * 3];
      for (std::size_t f = 0; f < Fc; ++f) {
        g[0] += w[f] * gm[3 * f], g[1] += w[f] * gm[3 * f + 1], g[2] += w[f] * gm[3 * f + 2];
      }
      std::copy(g, g + 3, &slotGrad[3 * (begin + m)]);
      if (stress) {
        const double* d = &list.vectors[3 * (begin + m)];
        for (int a = 0; a < 3; ++a) {
          for (int b = 0; b < 3; ++b) atomVirial[9 * i + 3 * a + b] += g[a] * d[b];
        }
      }
    }
  });
  for (std::size_t i = 0; i < n; ++i) out.energy += out.atomEnergies[i];
  if (stress) {
    out.stress.assign(9, 0.0);
    for (std::size_t i = 0; i < n; ++i) {
      for (int q = 0; q < 9; ++q) out.stress[q] += atomVirial[9 * i + q];
    }
    for (int a = 0; a < 3; ++a) {
      for (int b = a; b < 3; ++b) {
        const double sym = 0.5 * (out.stress[3 * a + b] + out.stress[3 * b + a]);
        out.virial[3 * a + b] = out.virial[3 * b + a] = sym;
        out.stress[3 * a + b] = out.stress[3 * b + a] = sym / volume;
      }
    }
  }
  if (forces) {
    out.forces.assign(3 * n, 0.0);
    std::vector<int32_t> start, slots;
    reverseSlots(list, n, start, slots);
    forEachAtom(n, [&](std::size_t k, Scratch&) {
      double* fk = &out.forces[3 * k];
      for (int32_t p = list.rowPtr[k]; p < list.rowPtr[k + 1]; ++p) {
        for (int a = 0; a < 3; ++a) fk[a] += slotGrad[3 * static_cast<std::size_t>(p) + a];
      }
      for (int32_t e = start[k]; e < start[k + 1]; ++e) {
        const std::size_t p = static_cast<std::size_t>(slots[static_cast<std::size_t>(e)]);
        for (int a = 0; a < 3; ++a) fk[a] -= slotGrad[3 * p + a];
      }
    });
  }
  return out;
}

namespace {

class LinearEvaluator final : public Evaluator {
 public:
  LinearEvaluator(std::shared_ptr<const PlipDescriptorSet> set, std::vector<double> weights, std::vector<double> offsets,
                  const std::vector<int32_t>& elements)
      : set_(std::move(set)), weights_(std::move(weights)), offsets_(std::move(offsets)) {
    require(set_ != nullptr, "E_VALUE", "LinearPotential: no descriptors");
    require(weights_.size() == set_->features(), "E_SHAPE",
            "LinearPotential: expected " + std::to_string(set_->features()) + " weights, got " + std::to_string(weights_.size()));
    require(offsets_.size() == static_cast<std::size_t>(set_->settings().elements), "E_SHAPE",
            "LinearPotential: expected one energy offset per element");
    for (double w : weights_) require(std::isfinite(w), "E_VALUE", "LinearPotential: the weights must be finite");
    for (double o : offsets_) require(std::isfinite(o), "E_VALUE", "LinearPotential: the energy offsets must be finite");
    require(static_cast<int>(elements.size()) == set_->settings().elements, "E_SHAPE",
            "LinearPotential: one atomic number per descriptor element is needed");
    table_ = elementTypeTable(elements, "LinearPotential");
  }
  std::string name() const override { return "LinearPotential"; }
  double cutoff() const override { return set_->settings().cutoff; }
  void evaluate(const SystemView& s, const NeighborListData* list, const EvaluationRequest& request,
                EvaluationOutput& out) override {
    typesOf(s, table_, "LinearPotential", types_);
    PlipStructure in;
    in.positions = s.positions;
    in.n = s.n;
    in.types = types_.data();
    in.cell = s.cell;
    for (int k = 0; k < 3; ++k) in.pbc[k] = s.pbc[k];
    in.list = list;
    in.scratch = &scratch_;
    PlipContracted r = set_->contract(in, weights_, offsets_, request.forces, request.virial);
    copyResult(r, request, out);
  }

 private:
  std::shared_ptr<const PlipDescriptorSet> set_;
  std::vector<double> weights_, offsets_;
  std::vector<int32_t> table_, types_;
  NeighborListData scratch_;
};

}  // namespace

std::shared_ptr<Evaluator> makeLinearEvaluator(std::shared_ptr<const PlipDescriptorSet> set, std::vector<double> weights,
                                               std::vector<double> offsets, const std::vector<int32_t>& elements) {
  return std::make_shared<LinearEvaluator>(std::move(set), std::move(weights), std::move(offsets), elements);
}

}  // namespace polymorph
