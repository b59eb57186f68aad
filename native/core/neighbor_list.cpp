// Cell-list neighbour search in fractional coordinates.
//
// Periodic directions: positions are wrapped into [0,1) (the integer offset o_i is remembered so
// that reported image shifts refer to the positions as given). Open directions: bins span the
// atoms' fractional extent. Bins are about cutoff/2 thick (perpendicular to their planes); the
// stencil of bin offsets is pruned by the exact minimum distance between two bins (a 3-D box QP),
// so skewed triclinic cells cost no more than orthogonal ones. Offsets beyond one period (cutoff
// larger than the cell) wrap around repeatedly, each wrap giving a distinct image shift.
//
// Work is split into blocks of bins; each block writes its pairs to its own buffer, atom by atom,
// and a final pass copies each atom's segment into CSR order of the original atom indices.
#include "core/neighbor_list.hpp"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>

#include "core/error.hpp"
#include "core/geometry.hpp"
#include "core/threads.hpp"

namespace polymorph {
namespace {

constexpr double kBinsPerCutoff = 2.0;  // bin thickness ~ cutoff / 2 (as LAMMPS' default)

struct Grid {
  Mat3 lattice{};      // rows = lattice vectors (identity when there is no cell)
  Mat3 inverse{};
  bool periodic[3]{};
  double low[3]{};     // fractional origin of the bins
  double width[3]{};   // fractional bin width
  int count[3]{};      // bins per direction
  int range[3]{};      // largest |bin offset| that can hold a neighbour
};

int floorDiv(int a, int b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

// Minimum of |Δs · L| over the box lo <= Δs <= hi (fractional), by enumerating the 27 active
// sets of the convex quadratic's KKT conditions.
double minBoxDistance(const Mat3& metric, const double lo[3], const double hi[3]) {
  double best = std::numeric_limits<double>::infinity();
  for (int code = 0; code < 27; ++code) {
    int state[3] = {code % 3, (code / 3) % 3, code / 9};  // 0 free, 1 at lo, 2 at hi
    double x[3];
    int freeDims[3], nFree = 0;
    for (int k = 0; k < 3; ++k) {
      if (state[k] == 0) freeDims[nFree++] = k;
      else x[k] = state[k] == 1 ? lo[k] : hi[k];
    }
    // Solve G_ff x_f = -G_fc x_c for the free dimensions.
    double a[3][3], rhs[3];
    for (int p = 0; p < nFree; ++p) {
      rhs[p] = 0.0;
      for (int k = 0; k < 3; ++k)
        if (state[k] != 0) rhs[p] -= metric[3 * freeDims[p] + k] * x[k];
      for (int q = 0; q < nFree; ++q) a[p][q] = metric[3 * freeDims[p] + freeDims[q]];
    }
    bool ok = true;
    if (nFree == 1) {
      x[freeDims[0]] = rhs[0] / a[0][0];
    } else if (nFree == 2) {
      const double det = a[0][0] * a[1][1] - a[0][1] * a[1][0];
      x[freeDims[0]] = (rhs[0] * a[1][1] - a[0][1] * rhs[1]) / det;
      x[freeDims[1]] = (a[0][0] * rhs[1] - rhs[0] * a[1][0]) / det;
    } else if (nFree == 3) {
      x[0] = x[1] = x[2] = 0.0;  // unconstrained minimum of a positive-definite form
    }
    for (int p = 0; p < nFree && ok; ++p) {
      const int k = freeDims[p];
      ok = std::isfinite(x[k]) && x[k] >= lo[k] - 1e-12 && x[k] <= hi[k] + 1e-12;
    }
    if (!ok) continue;
    double value = 0.0;
    for (int p = 0; p < 3; ++p)
      for (int q = 0; q < 3; ++q) value += x[p] * metric[3 * p + q] * x[q];
    best = std::min(best, value);
  }
  return std::sqrt(std::max(best, 0.0));
}

void validate(const NeighborListInput& in) {
  require(in.positions != nullptr || in.n == 0, "E_VALUE", "positions are missing");
  require(in.n <= static_cast<std::size_t>(std::numeric_limits<int32_t>::max()), "E_SIZE",
          "too many atoms for a neighbour list");
  require(std::isfinite(in.cutoff) && in.cutoff > 0.0, "E_VALUE",
          "cutoff must be a positive finite number of Å, got " + std::to_string(in.cutoff));
  for (std::size_t i = 0; i < 3 * in.n; ++i) {
    require(std::isfinite(in.positions[i]), "E_VALUE",
            "position of atom " + std::to_string(i / 3) + " is not finite");
  }
  const bool anyPeriodic = in.pbc[0] || in.pbc[1] || in.pbc[2];
  if (anyPeriodic) require(in.cell != nullptr, "E_CELL", "a periodic structure needs a cell");
  if (in.cell != nullptr) {
    for (int k = 0; k < 9; ++k) require(std::isfinite(in.cell[k]), "E_CELL", "cell is not finite");
  }
}

Grid makeGrid(const NeighborListInput& in, std::vector<double>& frac) {
  Grid g;
  const bool anyPeriodic = in.pbc[0] || in.pbc[1] || in.pbc[2];
  Mat3 identity = {1, 0, 0, 0, 1, 0, 0, 0, 1};
  g.lattice = identity;
  if (in.cell != nullptr) {
    Mat3 cell;
    std::copy(in.cell, in.cell + 9, cell.begin());
    double scale = 0.0;
    for (int k = 0; k < 3; ++k) scale = std::max(scale, std::sqrt(dot(row(cell, k), row(cell, k))));
    const bool singular = !(std::fabs(determinant(cell)) > 1e-12 * scale * scale * scale);
    if (singular) {
      require(!anyPeriodic, "E_CELL", "the cell is singular but the structure is periodic");
    } else {
      g.lattice = cell;
    }
  }
  g.inverse = inverse(g.lattice);
  const std::size_t n = in.n;
  frac.resize(3 * n);
  for (std::size_t i = 0; i < n; ++i) {
    const double* r = in.positions + 3 * i;
    for (int k = 0; k < 3; ++k)
      frac[3 * i + k] = r[0] * g.inverse[k] + r[1] * g.inverse[3 + k] + r[2] * g.inverse[6 + k];
  }
  const double target = in.cutoff / kBinsPerCutoff;
  for (int k = 0; k < 3; ++k) {
    g.periodic[k] = in.pbc[k];
    const double spacing = planeSpacing(g.lattice, k);
    double extent = 1.0;
    g.low[k] = 0.0;
    if (!g.periodic[k]) {
      double lo = std::numeric_limits<double>::infinity(), hi = -lo;
      for (std::size_t i = 0; i < n; ++i) {
        lo = std::min(lo, frac[3 * i + k]);
        hi = std::max(hi, frac[3 * i + k]);
      }
      if (n == 0) lo = hi = 0.0;
      g.low[k] = lo;
      extent = hi - lo;
    }
    const double thickness = extent * spacing;
    double bins = std::floor(thickness / target);
    g.count[k] = static_cast<int>(std::clamp(bins, 1.0, 1.0e6));
  }
  // Never more bins than a few per atom: sparse systems would waste memory on empty bins.
  const double maxBins = 8.0 * static_cast<double>(n) + 64.0;
  const double total = double(g.count[0]) * g.count[1] * g.count[2];
  if (total > maxBins) {
    const double factor = std::cbrt(total / maxBins);
    for (int k = 0; k < 3; ++k) g.count[k] = std::max(1, static_cast<int>(g.count[k] / factor));
  }
  for (int k = 0; k < 3; ++k) {
    const double spacing = planeSpacing(g.lattice, k);
    double extent = 1.0;
    if (!g.periodic[k]) {
      double hi = g.low[k];
      for (std::size_t i = 0; i < n; ++i) hi = std::max(hi, frac[3 * i + k]);
      extent = hi - g.low[k];
    }
    if (extent <= 0.0) {
      g.count[k] = 1;
      g.width[k] = 1.0;
      g.range[k] = 0;
      continue;
    }
    // Slightly wider bins in open directions so that the largest coordinate falls inside.
    g.width[k] = g.periodic[k] ? 1.0 / g.count[k] : extent * (1.0 + 1e-12) / g.count[k];
    // Fractional separation of two atoms closer than the cutoff: |Δs_k| < cutoff / spacing.
    const double reach = in.cutoff / spacing / g.width[k];
    const double range = std::floor(reach) + 1.0;
    require(range < 1.0e6, "E_VALUE", "cutoff is too large compared with the cell");
    g.range[k] = static_cast<int>(range);
    if (!g.periodic[k]) g.range[k] = std::min(g.range[k], g.count[k] - 1);
  }
  return g;
}

struct StencilEntry {
  int offset[3];
};

std::vector<StencilEntry> makeStencil(const Grid& g, double cutoff) {
  Mat3 metric;  // G = L L^T: |Δs·L|² = Δs G Δsᵀ
  for (int p = 0; p < 3; ++p)
    for (int q = 0; q < 3; ++q) metric[3 * p + q] = dot(row(g.lattice, p), row(g.lattice, q));
  std::vector<StencilEntry> stencil;
  for (int a = -g.range[0]; a <= g.range[0]; ++a)
    for (int b = -g.range[1]; b <= g.range[1]; ++b)
      for (int c = -g.range[2]; c <= g.range[2]; ++c) {
        const int o[3] = {a, b, c};
        double lo[3], hi[3];
        for (int k = 0; k < 3; ++k) {
          lo[k] = (o[k] - 1) * g.width[k];
          hi[k] = (o[k] + 1) * g.width[k];
        }
        if (minBoxDistance(metric, lo, hi) < cutoff * (1.0 + 1e-9)) stencil.push_back({{a, b, c}});
      }
  return stencil;
}

struct Block {  // pairs found for the atoms of a range of bins
  std::vector<int32_t> neighbors, shifts;
  std::vector<double> vectors, distances;
};

}  // namespace

NeighborListData buildNeighborList(const NeighborListInput& in) {
  validate(in);
  const std::size_t n = in.n;
  NeighborListData out;
  out.rowPtr.assign(n + 1, 0);
  if (n == 0) return out;

  std::vector<double> frac;
  const Grid g = makeGrid(in, frac);
  const int nBins = g.count[0] * g.count[1] * g.count[2];

  // Wrap periodic coordinates, remember the integer offsets, and bin every atom.
  std::vector<int32_t> offset(3 * n, 0), binOf(n);
  std::vector<double> wrapped(3 * n);
  for (std::size_t i = 0; i < n; ++i) {
    int b[3];
    for (int k = 0; k < 3; ++k) {
      double s = frac[3 * i + k];
      if (g.periodic[k]) {
        double o = std::floor(s);
        s -= o;
        if (s >= 1.0) { s -= 1.0; o += 1.0; }
        require(std::fabs(o) < 2.0e9, "E_VALUE", "atom " + std::to_string(i) + " lies too many periods outside the cell");
        offset[3 * i + k] = static_cast<int32_t>(o);
      }
      b[k] = std::clamp(static_cast<int>(std::floor((s - g.low[k]) / g.width[k])), 0, g.count[k] - 1);
    }
    binOf[i] = (b[0] * g.count[1] + b[1]) * g.count[2] + b[2];
    const double* r = in.positions + 3 * i;
    for (int a = 0; a < 3; ++a) {
      wrapped[3 * i + a] = r[a] - offset[3 * i] * g.lattice[a] - offset[3 * i + 1] * g.lattice[3 + a] -
                           offset[3 * i + 2] * g.lattice[6 + a];
    }
  }
  // Counting sort by bin: atoms of bin b are sorted[binStart[b] .. binStart[b+1]).
  std::vector<int32_t> binStart(nBins + 1, 0), sorted(n);
  for (std::size_t i = 0; i < n; ++i) ++binStart[binOf[i] + 1];
  for (int b = 0; b < nBins; ++b) binStart[b + 1] += binStart[b];
  {
    std::vector<int32_t> fill(binStart.begin(), binStart.end() - 1);
    for (std::size_t i = 0; i < n; ++i) sorted[fill[binOf[i]]++] = static_cast<int32_t>(i);
  }
  std::vector<double> sortedPos(3 * n);
  for (std::size_t p = 0; p < n; ++p)
    for (int a = 0; a < 3; ++a) sortedPos[3 * p + a] = wrapped[3 * sorted[p] + a];

  const std::vector<StencilEntry> stencil = makeStencil(g, in.cutoff);
  const double cutoff2 = in.cutoff * in.cutoff;
  const bool full = in.full;

  const int threads = numThreads();
  const int nBlocks = std::max(1, std::min(nBins, threads * 32));
  std::vector<Block> blocks(nBlocks);
  std::vector<int32_t> atomBlock(n), atomStart(n), atomCount(n);
  ParallelExceptions guard;

#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
  for (int blk = 0; blk < nBlocks; ++blk) {
    guard.run([&] {
      Block& out = blocks[blk];
      const int binBegin = static_cast<int>(int64_t(nBins) * blk / nBlocks);
      const int binEnd = static_cast<int>(int64_t(nBins) * (blk + 1) / nBlocks);
      const std::size_t atomsHere = binStart[binEnd] - binStart[binBegin];
      out.neighbors.reserve(atomsHere * 48);
      struct Neighbour { int begin, end; int32_t image[3]; double shift[3]; };
      std::vector<Neighbour> near;
      near.reserve(stencil.size());
      for (int bin = binBegin; bin < binEnd; ++bin) {
        if (binStart[bin] == binStart[bin + 1]) continue;
        const int b[3] = {bin / (g.count[1] * g.count[2]), (bin / g.count[2]) % g.count[1], bin % g.count[2]};
        near.clear();
        for (const StencilEntry& e : stencil) {
          int c[3];
          int32_t image[3];
          bool inside = true;
          for (int k = 0; k < 3 && inside; ++k) {
            const int t = b[k] + e.offset[k];
            if (g.periodic[k]) {
              image[k] = floorDiv(t, g.count[k]);
              c[k] = t - image[k] * g.count[k];
            } else {
              inside = t >= 0 && t < g.count[k];
              image[k] = 0;
              c[k] = t;
            }
          }
          if (!inside) continue;
          const int cb = (c[0] * g.count[1] + c[1]) * g.count[2] + c[2];
          if (binStart[cb] == binStart[cb + 1]) continue;
          Neighbour nb{binStart[cb], binStart[cb + 1], {image[0], image[1], image[2]}, {0, 0, 0}};
          for (int a = 0; a < 3; ++a)
            nb.shift[a] = image[0] * g.lattice[a] + image[1] * g.lattice[3 + a] + image[2] * g.lattice[6 + a];
          near.push_back(nb);
        }
        for (int p = binStart[bin]; p < binStart[bin + 1]; ++p) {
          const int32_t i = sorted[p];
          const double xi = sortedPos[3 * p], yi = sortedPos[3 * p + 1], zi = sortedPos[3 * p + 2];
          const int32_t* oi = &offset[3 * i];
          atomBlock[i] = blk;
          atomStart[i] = static_cast<int32_t>(out.neighbors.size());
          for (const Neighbour& nb : near) {
            const bool zeroImage = nb.image[0] == 0 && nb.image[1] == 0 && nb.image[2] == 0;
            for (int q = nb.begin; q < nb.end; ++q) {
              const int32_t j = sorted[q];
              if (full) {
                if (j == i && zeroImage) continue;
              } else if (j < i) {
                continue;
              } else if (j == i) {  // own image: keep S > 0 lexicographically
                const int32_t* s = nb.image;
                if (!(s[0] > 0 || (s[0] == 0 && (s[1] > 0 || (s[1] == 0 && s[2] > 0))))) continue;
              }
              const double dx = sortedPos[3 * q] + nb.shift[0] - xi;
              const double dy = sortedPos[3 * q + 1] + nb.shift[1] - yi;
              const double dz = sortedPos[3 * q + 2] + nb.shift[2] - zi;
              const double d2 = dx * dx + dy * dy + dz * dz;
              if (d2 >= cutoff2) continue;
              const int32_t* oj = &offset[3 * j];
              out.neighbors.push_back(j);
              out.shifts.push_back(nb.image[0] - oj[0] + oi[0]);
              out.shifts.push_back(nb.image[1] - oj[1] + oi[1]);
              out.shifts.push_back(nb.image[2] - oj[2] + oi[2]);
              out.vectors.push_back(dx);
              out.vectors.push_back(dy);
              out.vectors.push_back(dz);
              out.distances.push_back(std::sqrt(d2));
            }
          }
          atomCount[i] = static_cast<int32_t>(out.neighbors.size()) - atomStart[i];
        }
      }
    });
  }
  guard.rethrow();

  int64_t total = 0;
  for (std::size_t i = 0; i < n; ++i) {
    total += atomCount[i];
    require(total <= std::numeric_limits<int32_t>::max(), "E_SIZE",
            "neighbour list has more than 2^31 pairs; reduce the cutoff or the system size");
    out.rowPtr[i + 1] = static_cast<int32_t>(total);
  }
  out.neighbors.resize(total);
  out.shifts.resize(3 * total);
  out.vectors.resize(3 * total);
  out.distances.resize(total);
#pragma omp parallel for schedule(static) num_threads(threads)
  for (int64_t i = 0; i < static_cast<int64_t>(n); ++i) {
    const Block& b = blocks[atomBlock[i]];
    const std::size_t src = atomStart[i], dst = out.rowPtr[i], m = atomCount[i];
    if (m == 0) continue;
    std::memcpy(&out.neighbors[dst], &b.neighbors[src], m * sizeof(int32_t));
    std::memcpy(&out.shifts[3 * dst], &b.shifts[3 * src], 3 * m * sizeof(int32_t));
    std::memcpy(&out.vectors[3 * dst], &b.vectors[3 * src], 3 * m * sizeof(double));
    std::memcpy(&out.distances[dst], &b.distances[src], m * sizeof(double));
  }
  return out;
}

}  // namespace polymorph
