#include "core/steinhardt.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <string>

#include "core/error.hpp"
#include "core/neighbor_list.hpp"
#include "core/threads.hpp"

namespace polymorph {
namespace {

constexpr double kPi = 3.14159265358979323846;

inline std::size_t harmonicIndex(int l, int m) { return static_cast<std::size_t>(l * (l + 1) / 2 + m); }

// Recurrence coefficients of P̃_l^m = P̄_l^m / sin^m θ, the normalised associated Legendre
// functions (Y_lm = P̄_l^m(cos θ) e^{imφ}) without their sin^m θ factor.
struct Harmonics {
  int lmax = 0;
  std::vector<double> diagonal;  // P̃_m^m (constants)
  std::vector<double> a, b;      // per (l, m), l ≥ m + 2

  explicit Harmonics(int lmaxIn) : lmax(lmaxIn) {
    const std::size_t K = harmonicIndex(lmax, lmax) + 1;
    a.assign(K, 0.0);
    b.assign(K, 0.0);
    diagonal.assign(lmax + 1, 0.0);
    diagonal[0] = std::sqrt(1.0 / (4.0 * kPi));
    for (int m = 1; m <= lmax; ++m) diagonal[m] = -std::sqrt(1.0 + 1.0 / (2.0 * m)) * diagonal[m - 1];
    for (int m = 0; m <= lmax; ++m)
      for (int l = m + 2; l <= lmax; ++l) {
        const double l2 = double(l) * l, m2 = double(m) * m, lm1 = double(l - 1) * (l - 1);
        a[harmonicIndex(l, m)] = std::sqrt((4.0 * l2 - 1.0) / (l2 - m2));
        b[harmonicIndex(l, m)] = std::sqrt((lm1 - m2) / (4.0 * lm1 - 1.0));
      }
  }

  // acc[2k], acc[2k+1] += w · Y_lm(x, y, z) (real, imaginary) for every (l, m ≥ 0), k = harmonicIndex.
  void accumulate(double x, double y, double z, double w, double* acc) const {
    double pr = 1.0, pi = 0.0;  // (x + iy)^m
    for (int m = 0; m <= lmax; ++m) {
      if (m > 0) {
        const double r = pr * x - pi * y;
        pi = pr * y + pi * x;
        pr = r;
      }
      const double wr = w * pr, wi = w * pi;
      double p2 = 0.0, p1 = diagonal[m];
      std::size_t k = harmonicIndex(m, m);
      acc[2 * k] += p1 * wr;
      acc[2 * k + 1] += p1 * wi;
      if (m + 1 > lmax) continue;
      double p = std::sqrt(2.0 * m + 3.0) * z * p1;
      k = harmonicIndex(m + 1, m);
      acc[2 * k] += p * wr;
      acc[2 * k + 1] += p * wi;
      p2 = p1;
      p1 = p;
      for (int l = m + 2; l <= lmax; ++l) {
        k = harmonicIndex(l, m);
        p = a[k] * (z * p1 - b[k] * p2);
        acc[2 * k] += p * wr;
        acc[2 * k + 1] += p * wi;
        p2 = p1;
        p1 = p;
      }
    }
  }
};

long double factorial(int k) {
  long double f = 1.0L;
  for (int q = 2; q <= k; ++q) f *= q;
  return f;
}

// Rows of neighbours of a (sub)system in local indices: vectors d (Å) and optional weights.
struct NeighborRows {
  std::vector<int32_t> rowPtr, neighbors;
  std::vector<double> vectors, weights;  // weights empty: all 1
};

struct SubSystem {
  std::vector<double> positions;
  std::vector<int32_t> atoms;  // global index of each local atom
};

NeighborListData fullList(const double* positions, std::size_t n, const SteinhardtInput& input, double cutoff, bool vectors) {
  NeighborListInput in;
  in.positions = positions;
  in.n = n;
  in.cell = input.cell;
  for (int a = 0; a < 3; ++a) in.pbc[a] = input.pbc[a];
  in.cutoff = cutoff;
  in.full = true;
  in.storeVectors = vectors;
  return buildNeighborList(in);
}

NeighborRows cutoffRows(const SubSystem& sub, const SteinhardtInput& input, double cutoff) {
  const std::size_t n = sub.atoms.size();
  NeighborListData list = fullList(sub.positions.data(), n, input, cutoff, true);
  NeighborRows rows;
  rows.rowPtr.assign(list.rowPtr.begin(), list.rowPtr.end());
  rows.neighbors.assign(list.neighbors.begin(), list.neighbors.end());
  rows.vectors.assign(list.vectors.begin(), list.vectors.end());
  return rows;
}

struct Selected {
  double r2;
  int32_t j, s[3];
  double d[3];
};

bool selectedBefore(const Selected& a, const Selected& b) {
  if (a.r2 != b.r2) return a.r2 < b.r2;
  if (a.j != b.j) return a.j < b.j;
  for (int q = 0; q < 3; ++q)
    if (a.s[q] != b.s[q]) return a.s[q] < b.s[q];
  return false;
}

NeighborRows countRows(const SubSystem& sub, const SteinhardtInput& input, int count, bool subLattice) {
  const std::size_t n = sub.atoms.size();
  const bool anyPbc = input.pbc[0] || input.pbc[1] || input.pbc[2];
  if (!anyPbc && n <= static_cast<std::size_t>(count) && subLattice) {
    // A sub-lattice too small for `count` neighbours: its atoms get none (NaN rows, count 0).
    NeighborRows none;
    none.rowPtr.assign(n + 1, 0);
    return none;
  }
  require(anyPbc || n > static_cast<std::size_t>(count), "E_VALUE",
          "steinhardt: neighbors.count = " + std::to_string(count) + " but an open structure (or sub-lattice) of " +
              std::to_string(n) + " atoms has only " + std::to_string(n - 1) + " other atoms");
  VoronoiInput probe;
  probe.positions = sub.positions.data();
  probe.n = n;
  probe.cell = input.cell;
  for (int a = 0; a < 3; ++a) probe.pbc[a] = input.pbc[a];
  double nearest = medianNearestNeighborDistance(probe);
  if (!(nearest > 0)) nearest = 1.0;
  double radius = 1.2 * nearest * std::max(1.0, std::cbrt(count / 12.0));
  std::vector<std::vector<Selected>> chosen(n);
  std::vector<int32_t> pending(n);
  for (std::size_t i = 0; i < n; ++i) pending[i] = static_cast<int32_t>(i);
  for (int pass = 0; !pending.empty(); ++pass) {
    require(pass < 200, "E_VALUE", "steinhardt: could not find neighbors.count neighbours");
    NeighborListData list = fullList(sub.positions.data(), n, input, radius, false);
    std::vector<uint8_t> done(pending.size(), 0);
#pragma omp parallel num_threads(numThreads())
    {
      std::vector<Selected> row;
#pragma omp for schedule(dynamic, 64)
      for (std::size_t k = 0; k < pending.size(); ++k) {
        const std::size_t i = static_cast<std::size_t>(pending[k]);
        if (list.rowPtr[i + 1] - list.rowPtr[i] < count) continue;
        row.clear();
        for (int32_t p = list.rowPtr[i]; p < list.rowPtr[i + 1]; ++p) {
          Selected s;
          pairVector(sub.positions.data(), input.cell, list, i, static_cast<std::size_t>(p), s.d);
          s.r2 = s.d[0] * s.d[0] + s.d[1] * s.d[1] + s.d[2] * s.d[2];
          s.j = list.neighbors[p];
          for (int a = 0; a < 3; ++a) s.s[a] = list.shifts[3 * p + a];
          row.push_back(s);
        }
        std::partial_sort(row.begin(), row.begin() + count, row.end(), selectedBefore);
        chosen[i].assign(row.begin(), row.begin() + count);
        done[k] = 1;
      }
    }
    std::vector<int32_t> still;
    for (std::size_t k = 0; k < pending.size(); ++k)
      if (!done[k]) still.push_back(pending[k]);
    pending.swap(still);
    radius *= 1.5;
  }
  NeighborRows rows;
  rows.rowPtr.assign(n + 1, 0);
  for (std::size_t i = 0; i < n; ++i) rows.rowPtr[i + 1] = rows.rowPtr[i] + count;
  rows.neighbors.resize(n * count);
  rows.vectors.resize(3 * n * count);
  for (std::size_t i = 0; i < n; ++i)
    for (int q = 0; q < count; ++q) {
      const std::size_t p = i * count + q;
      rows.neighbors[p] = chosen[i][q].j;
      for (int a = 0; a < 3; ++a) rows.vectors[3 * p + a] = chosen[i][q].d[a];
    }
  return rows;
}

NeighborRows voronoiRows(const SubSystem& sub, const SteinhardtInput& input, const VoronoiOptions& options) {
  VoronoiInput in;
  in.positions = sub.positions.data();
  in.n = sub.atoms.size();
  in.cell = input.cell;
  for (int a = 0; a < 3; ++a) in.pbc[a] = input.pbc[a];
  VoronoiTessellation t = voronoiTessellation(in, options);
  NeighborRows rows;
  rows.rowPtr = std::move(t.rowPtr);
  rows.neighbors = std::move(t.neighbors);
  rows.vectors = std::move(t.vectors);
  rows.weights = std::move(t.areas);
  return rows;
}

// The Steinhardt values of one (sub)system's atoms, written into the global rows.
void computeSubSystem(const SubSystem& sub, const SteinhardtInput& input, const SteinhardtParameters& parameters,
                      const std::vector<std::vector<double>>& threeJ, SteinhardtResult& result) {
  const std::size_t n = sub.atoms.size();
  NeighborRows rows;
  switch (parameters.neighbors) {
    case SteinhardtNeighbors::Cutoff: rows = cutoffRows(sub, input, parameters.cutoff); break;
    case SteinhardtNeighbors::Count: rows = countRows(sub, input, parameters.count, parameters.sameSpecies); break;
    case SteinhardtNeighbors::Voronoi: rows = voronoiRows(sub, input, parameters.voronoi); break;
  }
  int lmax = 0;
  for (int l : parameters.degrees) lmax = std::max(lmax, l);
  const Harmonics harmonics(lmax);
  const std::size_t K = harmonicIndex(lmax, lmax) + 1;
  const std::size_t nl = parameters.degrees.size();
  std::vector<double> qlm(2 * K * n);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  ParallelExceptions guard;

#pragma omp parallel for schedule(dynamic, 64) num_threads(numThreads())
  for (std::size_t i = 0; i < n; ++i) {
    guard.run([&] {
      double* acc = &qlm[2 * K * i];
      std::fill(acc, acc + 2 * K, 0.0);
      const int32_t b = rows.rowPtr[i], e = rows.rowPtr[i + 1];
      if (b == e) {
        std::fill(acc, acc + 2 * K, nan);
        return;
      }
      double total = 0.0;
      for (int32_t p = b; p < e; ++p) {
        const double* d = &rows.vectors[3 * static_cast<std::size_t>(p)];
        const double r = std::sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
        if (!(r > 0)) {
          throw Error("E_VALUE", "steinhardt: atoms " + std::to_string(sub.atoms[i]) + " and " +
                                     std::to_string(sub.atoms[rows.neighbors[p]]) + " are at the same position");
        }
        const double w = rows.weights.empty() ? 1.0 : rows.weights[p];
        const double z = std::max(-1.0, std::min(1.0, d[2] / r));
        harmonics.accumulate(d[0] / r, d[1] / r, z, w, acc);
        total += w;
      }
      const double scale = 1.0 / total;
      for (std::size_t k = 0; k < 2 * K; ++k) acc[k] *= scale;
    });
  }
  guard.rethrow();

#pragma omp parallel num_threads(numThreads())
  {
    std::vector<double> local(2 * K);
    std::vector<double> full;  // q_l,m for m = −l…l (re, im)
#pragma omp for schedule(dynamic, 64)
    for (std::size_t i = 0; i < n; ++i) {
      const std::size_t g = static_cast<std::size_t>(sub.atoms[i]);
      const int32_t b = rows.rowPtr[i], e = rows.rowPtr[i + 1];
      result.neighborCounts[g] = e - b;
      double* out = &result.values[g * nl];
      const double* q = &qlm[2 * K * i];
      if (parameters.average && b != e) {
        std::copy(q, q + 2 * K, local.begin());
        for (int32_t p = b; p < e; ++p) {
          const double* qj = &qlm[2 * K * static_cast<std::size_t>(rows.neighbors[p])];
          for (std::size_t k = 0; k < 2 * K; ++k) local[k] += qj[k];
        }
        const double scale = 1.0 / static_cast<double>(e - b + 1);
        for (std::size_t k = 0; k < 2 * K; ++k) local[k] *= scale;
        q = local.data();
      }
      for (std::size_t c = 0; c < nl; ++c) {
        const int l = parameters.degrees[c];
        if (b == e) {
          out[c] = nan;
          continue;
        }
        const double* ql = q + 2 * harmonicIndex(l, 0);
        double norm = ql[0] * ql[0] + ql[1] * ql[1];
        for (int m = 1; m <= l; ++m) norm += 2.0 * (ql[2 * m] * ql[2 * m] + ql[2 * m + 1] * ql[2 * m + 1]);
        if (!parameters.wl) {
          out[c] = std::sqrt(4.0 * kPi / (2 * l + 1) * norm);
          continue;
        }
        if (!(norm >= 1e-24)) {
          out[c] = std::isnan(norm) ? nan : 0.0;
          continue;
        }
        const int width = 2 * l + 1;
        full.resize(2 * width);
        for (int m = -l; m <= l; ++m) {
          const int am = m < 0 ? -m : m;
          const double sign = (m < 0 && (am & 1)) ? -1.0 : 1.0;
          full[2 * (m + l)] = sign * ql[2 * am];
          full[2 * (m + l) + 1] = (m < 0 ? -sign : sign) * ql[2 * am + 1];
        }
        const std::vector<double>& table = threeJ[l];
        double w = 0.0;
        for (int m1 = -l; m1 <= l; ++m1) {
          const double ar = full[2 * (m1 + l)], ai = full[2 * (m1 + l) + 1];
          const int lo = std::max(-l, -l - m1), hi = std::min(l, l - m1);
          for (int m2 = lo; m2 <= hi; ++m2) {
            const int m3 = -m1 - m2;
            const double br = full[2 * (m2 + l)], bi = full[2 * (m2 + l) + 1];
            const double cr = full[2 * (m3 + l)], ci = full[2 * (m3 + l) + 1];
            const double abr = ar * br - ai * bi, abi = ar * bi + ai * br;
            w += table[(m1 + l) * width + (m2 + l)] * (abr * cr - abi * ci);
          }
        }
        out[c] = w / std::pow(norm, 1.5);
      }
    }
  }
}

}  // namespace

double wigner3jEqual(int l, int m1, int m2) {
  const int m3 = -m1 - m2;
  if (l < 0 || std::abs(m1) > l || std::abs(m2) > l || std::abs(m3) > l) return 0.0;
  const long double delta = factorial(l) * factorial(l) * factorial(l) / factorial(3 * l + 1);
  const long double root = factorial(l + m1) * factorial(l - m1) * factorial(l + m2) * factorial(l - m2) *
                           factorial(l + m3) * factorial(l - m3);
  const int kmin = std::max({0, -m1, m2}), kmax = std::min({l, l - m1, l + m2});
  long double sum = 0.0L;
  for (int k = kmin; k <= kmax; ++k) {
    const long double term = 1.0L / (factorial(k) * factorial(k + m1) * factorial(k - m2) * factorial(l - k) *
                                     factorial(l - k - m1) * factorial(l - k + m2));
    sum += (k & 1) ? -term : term;
  }
  const long double sign = (m3 & 1) ? -1.0L : 1.0L;  // (−1)^{j1−j2−m3} = (−1)^{m3}
  return static_cast<double>(sign * std::sqrt(delta) * std::sqrt(root) * sum);
}

void sphericalHarmonic(int l, int m, double x, double y, double z, double out[2]) {
  require(l >= 0 && l <= kSteinhardtMaxDegree && std::abs(m) <= l, "E_VALUE", "sphericalHarmonic: bad l, m");
  const Harmonics h(l);
  std::vector<double> acc(2 * (harmonicIndex(l, l) + 1), 0.0);
  h.accumulate(x, y, z, 1.0, acc.data());
  const int am = std::abs(m);
  double re = acc[2 * harmonicIndex(l, am)], im = acc[2 * harmonicIndex(l, am) + 1];
  if (m < 0) {
    const double sign = (am & 1) ? -1.0 : 1.0;
    re *= sign;
    im *= -sign;
  }
  out[0] = re;
  out[1] = im;
}

void validateSteinhardtParameters(const SteinhardtParameters& p) {
  require(!p.degrees.empty(), "E_VALUE", "steinhardt: give at least one degree l");
  for (int l : p.degrees) {
    require(l >= 0 && l <= kSteinhardtMaxDegree, "E_VALUE",
            "steinhardt: l must be an integer in 0…" + std::to_string(kSteinhardtMaxDegree) + ", got " + std::to_string(l));
  }
  switch (p.neighbors) {
    case SteinhardtNeighbors::Cutoff:
      require(std::isfinite(p.cutoff) && p.cutoff > 0, "E_VALUE",
              "steinhardt: neighbors.cutoff must be a positive finite number of Å, got " + std::to_string(p.cutoff));
      break;
    case SteinhardtNeighbors::Count:
      require(p.count >= 1 && p.count <= 10000, "E_VALUE",
              "steinhardt: neighbors.count must be an integer in 1…10000, got " + std::to_string(p.count));
      break;
    case SteinhardtNeighbors::Voronoi:
      require(std::isfinite(p.voronoi.areaThreshold) && p.voronoi.areaThreshold >= 0 && p.voronoi.areaThreshold < 1,
              "E_VALUE", "steinhardt: voronoi areaThreshold must be in [0, 1)");
      require(std::isfinite(p.voronoi.openBoundary) && p.voronoi.openBoundary >= 0, "E_VALUE",
              "steinhardt: voronoi openBoundary must be a non-negative number of Å");
      break;
  }
}

SteinhardtResult steinhardt(const SteinhardtInput& input, const SteinhardtParameters& parameters) {
  validateSteinhardtParameters(parameters);
  require(input.n > 0, "E_EMPTY", "steinhardt: the structure has no atoms");
  require(input.positions != nullptr, "E_VALUE", "steinhardt: positions are missing");
  const std::size_t bad = firstNonFinite(input.positions, 3 * input.n);
  require(bad == 3 * input.n, "E_VALUE", "steinhardt: position of atom " + std::to_string(bad / 3) + " is not finite");
  require(!(input.pbc[0] || input.pbc[1] || input.pbc[2]) || input.cell != nullptr, "E_CELL",
          "steinhardt: a periodic structure needs a cell");
  require(!parameters.sameSpecies || input.types != nullptr, "E_VALUE", "steinhardt: species 'same' needs atom types");

  std::vector<std::vector<double>> threeJ(kSteinhardtMaxDegree + 1);
  if (parameters.wl) {
    for (int l : parameters.degrees) {
      if (!threeJ[l].empty()) continue;
      const int width = 2 * l + 1;
      threeJ[l].assign(static_cast<std::size_t>(width) * width, 0.0);
      for (int m1 = -l; m1 <= l; ++m1)
        for (int m2 = -l; m2 <= l; ++m2) threeJ[l][(m1 + l) * width + (m2 + l)] = wigner3jEqual(l, m1, m2);
    }
  }

  SteinhardtResult result;
  result.values.assign(input.n * parameters.degrees.size(), 0.0);
  result.neighborCounts.assign(input.n, 0);
  std::map<int32_t, std::vector<int32_t>> groups;
  for (std::size_t i = 0; i < input.n; ++i) groups[parameters.sameSpecies ? input.types[i] : 0].push_back(static_cast<int32_t>(i));
  for (auto& [type, atoms] : groups) {
    (void)type;
    SubSystem sub;
    sub.atoms = std::move(atoms);
    sub.positions.resize(3 * sub.atoms.size());
    for (std::size_t k = 0; k < sub.atoms.size(); ++k)
      for (int a = 0; a < 3; ++a) sub.positions[3 * k + a] = input.positions[3 * static_cast<std::size_t>(sub.atoms[k]) + a];
    computeSubSystem(sub, input, parameters, threeJ, result);
  }
  return result;
}

}  // namespace polymorph
