// Cell-list neighbour search in fractional coordinates.
//
// Periodic directions: positions are wrapped into [0,1) (the integer offset o_i is remembered so
// that reported image shifts refer to the positions as given). Open directions: bins span the
// atoms' fractional extent. Bins are about cutoff/2 thick (perpendicular to their planes); the
// stencil of bin offsets is pruned by the exact minimum distance between two bins (a 3-D box QP),
// so skewed triclinic cells cost no more than orthogonal ones. Offsets beyond one period (cutoff
// larger than the cell) wrap around repeatedly, each wrap giving a distinct image shift.
//
// A stencil row is a run of bins contiguous in bin order, so one row is one range of atoms. A half
// list gives each pair to the atom that comes first in bin order, so only later atoms are scanned.
// Pass 1 (per block of bins) stores 8 bytes a pair; pass 2 writes the full records once, straight
// into the final arrays, in CSR order of the original atom indices.
#include "core/neighbor_list.hpp"

#include <omp.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
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
    double x[3] = {0.0, 0.0, 0.0};
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
    if (!std::isfinite(in.positions[i]))
      throw Error("E_VALUE", "position of atom " + std::to_string(i / 3) + " is not finite");
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
  // Bins strictly thicker than cutoff/2 (never exactly: then a whole extra stencil layer is needed).
  const double target = in.cutoff / kBinsPerCutoff * (1.0 + 1e-6);
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
        // Quick accept: the box point nearest the origin coordinate-wise is feasible, so if it is
        // within the cutoff the minimum is too (exact for orthogonal cells); else solve the QP.
        double nearest[3];
        for (int k = 0; k < 3; ++k) nearest[k] = std::clamp(0.0, lo[k], hi[k]);
        double d2 = 0.0;
        for (int p = 0; p < 3; ++p)
          for (int q = 0; q < 3; ++q) d2 += nearest[p] * metric[3 * p + q] * nearest[q];
        const double limit = cutoff * (1.0 + 1e-9);
        if (d2 < limit * limit || minBoxDistance(metric, lo, hi) < limit) stencil.push_back({{a, b, c}});
      }
  return stencil;
}

// Stencil rows: bin offsets (o0, o1, lo2..hi2) whose bins are contiguous in bin order, so one row
// is one range of atoms (split only where it wraps around a periodic boundary).
struct Row {
  int o0, o1, lo2, hi2;
};

std::vector<Row> stencilRows(const std::vector<StencilEntry>& stencil) {
  std::vector<Row> rows;
  for (const StencilEntry& e : stencil) {  // stencil is ordered by (o0, o1, o2)
    if (!rows.empty() && rows.back().o0 == e.offset[0] && rows.back().o1 == e.offset[1]) {
      rows.back().lo2 = std::min(rows.back().lo2, e.offset[2]);
      rows.back().hi2 = std::max(rows.back().hi2, e.offset[2]);
    } else {
      rows.push_back({e.offset[0], e.offset[1], e.offset[2], e.offset[2]});
    }
  }
  return rows;
}

// Bin index t (from -range to count+range-1) along one direction -> the bin it maps to and the
// image it lies in: wrapped for periodic directions, -1 (outside) beyond an open boundary.
struct WrapTable {
  int start;                 // table index of t is t + start
  std::vector<int> cell, image;
};

WrapTable makeWrap(const Grid& g, int k) {
  WrapTable w;
  w.start = g.range[k];
  for (int t = -g.range[k]; t < g.count[k] + g.range[k]; ++t) {
    if (g.periodic[k]) {
      const int image = floorDiv(t, g.count[k]);
      w.cell.push_back(t - image * g.count[k]);
      w.image.push_back(image);
    } else {
      w.cell.push_back(t >= 0 && t < g.count[k] ? t : -1);
      w.image.push_back(0);
    }
  }
  return w;
}

// Every image shift a stencil can reach, with its Cartesian offset.
struct ImageTable {
  int reach[3];
  std::vector<int32_t> shift;  // 3 per image
  std::vector<double> offset;  // 3 per image, shift · cell (Å)
  std::vector<char> zero, positive;
  int index(int a, int b, int c) const {
    return ((a + reach[0]) * (2 * reach[1] + 1) + (b + reach[1])) * (2 * reach[2] + 1) + (c + reach[2]);
  }
};

ImageTable makeImages(const Grid& g) {
  ImageTable t;
  for (int k = 0; k < 3; ++k) t.reach[k] = g.periodic[k] ? g.range[k] / g.count[k] + 1 : 0;
  for (int a = -t.reach[0]; a <= t.reach[0]; ++a)
    for (int b = -t.reach[1]; b <= t.reach[1]; ++b)
      for (int c = -t.reach[2]; c <= t.reach[2]; ++c) {
        t.shift.insert(t.shift.end(), {a, b, c});
        for (int x = 0; x < 3; ++x) t.offset.push_back(a * g.lattice[x] + b * g.lattice[3 + x] + c * g.lattice[6 + x]);
        t.zero.push_back(a == 0 && b == 0 && c == 0);
        t.positive.push_back(a > 0 || (a == 0 && (b > 0 || (b == 0 && c > 0))));
      }
  return t;
}

// Pairs found for the atoms of a range of bins, compactly: the neighbour's position in bin order
// and its image index (8 bytes a pair). The full records (index, shift, vector, distance) are
// written once, straight into the final arrays.
struct Block {
  Buffer<int32_t> neighbor;  // position q in bin order (uninitialised: no zero-filling)
  Buffer<int32_t> image;     // index into the image table

  // Room for `capacity` pairs, keeping the first `length`.
  void grow(std::size_t length, std::size_t capacity) {
    Buffer<int32_t> n(capacity), i(capacity);
    std::copy(neighbor.begin(), neighbor.begin() + length, n.begin());
    std::copy(image.begin(), image.begin() + length, i.begin());
    neighbor = std::move(n);
    image = std::move(i);
  }
};

struct Packed {
  double x, y, z;
  int32_t index, unused;
};

// Expected neighbours per atom (for reserving), from the number density of the atoms' box.
double expectedNeighbours(const Grid& g, std::size_t n, double cutoff, bool full) {
  double volume = std::fabs(determinant(g.lattice));
  for (int k = 0; k < 3; ++k) {
    if (!g.periodic[k]) volume *= std::max(g.width[k] * g.count[k], cutoff / planeSpacing(g.lattice, k));
  }
  const double sphere = 4.18879020478639 * cutoff * cutoff * cutoff;
  const double perAtom = std::min(static_cast<double>(n), n / volume * sphere);
  return (full ? 1.0 : 0.5) * perAtom * 1.15 + 4.0;
}

std::atomic<std::uint64_t> buildCount{0};

// Estimated pairs: n · ρ · (4/3)π r_c³ (× ½ for a half list), ρ from the atoms' box (open
// directions span at least the cutoff), capped by n atoms times the images a sphere can reach.
double estimatePairs(const Grid& g, std::size_t n, double cutoff, bool full) {
  double volume = std::fabs(determinant(g.lattice));
  double images = 1.0;
  for (int k = 0; k < 3; ++k) {
    const double spacing = planeSpacing(g.lattice, k);
    if (!g.periodic[k]) volume *= std::max(g.width[k] * g.count[k], cutoff / spacing);
    else images *= 2.0 * std::ceil(cutoff / spacing) + 1.0;
  }
  const double sphere = 4.18879020478639 * cutoff * cutoff * cutoff;
  const double perAtom = std::min(static_cast<double>(n) * images, n / volume * sphere);
  return (full ? 1.0 : 0.5) * static_cast<double>(n) * perAtom;
}

std::string gigabytes(double bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3g GB", bytes / 1e9);
  return text;
}

}  // namespace

double neighborListBytes(double pairs, bool storeVectors) {
  // index + shift (16 B), vectors and distances (32 B), and pass 1's 8 B a pair.
  return pairs * ((storeVectors ? 48.0 : 16.0) + 8.0);
}

std::uint64_t neighborListBuildCount() { return buildCount.load(); }

double estimatedPairs(const NeighborListInput& in) {
  validate(in);
  if (in.n == 0) return 0.0;
  std::vector<double> frac;
  const Grid g = makeGrid(in, frac);
  return estimatePairs(g, in.n, in.cutoff, in.full);
}

NeighborListData buildNeighborList(const NeighborListInput& in, NeighborListData reuse) {
  validate(in);
  ++buildCount;
  const std::size_t n = in.n;
  NeighborListData out = std::move(reuse);
  out.cutoff = in.cutoff;
  out.full = in.full;
  out.rowPtr.reset(n + 1);
  std::fill(out.rowPtr.begin(), out.rowPtr.end(), 0);
  if (n == 0) {
    out.neighbors.reset(0), out.shifts.reset(0), out.vectors.reset(0), out.distances.reset(0);
    return out;
  }

  std::vector<double> frac;
  const Grid g = makeGrid(in, frac);
  {  // Refuse lists that would not fit before the stencil or any pair memory is made.
    const double pairs = estimatePairs(g, n, in.cutoff, in.full);
    const double bytes = neighborListBytes(pairs, in.storeVectors);
    if (!(bytes <= in.memoryLimit)) {
      char count[32];
      std::snprintf(count, sizeof count, "%.3g", pairs);
      throw Error("E_VALUE", "neighbour list with cutoff " + std::to_string(in.cutoff) + " Å for " + std::to_string(n) +
                                 " atoms would hold about " + count + " pairs (" + gigabytes(bytes) +
                                 "), more than the memory limit of " + gigabytes(in.memoryLimit) +
                                 "; use a smaller cutoff, or raise the limit (memoryLimit) if this is intended");
    }
  }
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
        if (!(std::fabs(o) < 2.0e9))
          throw Error("E_VALUE", "atom " + std::to_string(i) + " lies too many periods outside the cell");
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
  // Wrapped positions in bin order, with the atom index alongside (one cache line holds two).
  std::vector<Packed> packed(n);
  std::vector<double> sortedPos(3 * n);
  for (std::size_t p = 0; p < n; ++p) {
    for (int a = 0; a < 3; ++a) sortedPos[3 * p + a] = wrapped[3 * sorted[p] + a];
    packed[p] = {sortedPos[3 * p], sortedPos[3 * p + 1], sortedPos[3 * p + 2], sorted[p], 0};
  }

  const std::vector<StencilEntry> stencil = makeStencil(g, in.cutoff);
  const double cutoff2 = in.cutoff * in.cutoff;
  const bool full = in.full;

  const int threads = numThreads();
  const int nBlocks = std::max(1, std::min(nBins, threads * 32));
  std::vector<Block> blocks(nBlocks);
  Buffer<int32_t> atomStart(n), atomCount(n), atomBlock(n);
  ParallelExceptions guard;

  const std::vector<Row> rows = stencilRows(stencil);
  const double perAtom = expectedNeighbours(g, n, in.cutoff, full);
  const WrapTable wrap[3] = {makeWrap(g, 0), makeWrap(g, 1), makeWrap(g, 2)};
  std::vector<int> rowFirst(rows.size()), rowLast(rows.size());  // linear bin offsets of each row
  for (std::size_t r = 0; r < rows.size(); ++r) {
    rowFirst[r] = (rows[r].o0 * g.count[1] + rows[r].o1) * g.count[2] + rows[r].lo2;
    rowLast[r] = rowFirst[r] + rows[r].hi2 - rows[r].lo2;
  }
  const ImageTable images = makeImages(g);

  // Pass 1: find the pairs, storing 8 bytes each.
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
  for (int blk = 0; blk < nBlocks; ++blk) {
    guard.run([&] {
      Block& out = blocks[blk];
      const int binBegin = static_cast<int>(int64_t(nBins) * blk / nBlocks);
      const int binEnd = static_cast<int>(int64_t(nBins) * (blk + 1) / nBlocks);
      const std::size_t atomsHere = binStart[binEnd] - binStart[binBegin];
      // Local copies: the compiler cannot keep values behind references in registers.
      const double rc2 = cutoff2;
      const bool isFull = full;
      const Packed* atoms = packed.data();
      std::size_t length = 0, capacity = static_cast<std::size_t>(atomsHere * perAtom) + 16;
      out.neighbor.reset(capacity);
      out.image.reset(capacity);
      struct Segment { int begin, end, image; };
      std::vector<Segment> near;
      near.reserve(2 * rows.size() + 8);
      for (int bin = binBegin; bin < binEnd; ++bin) {
        if (binStart[bin] == binStart[bin + 1]) continue;
        const int b[3] = {bin / (g.count[1] * g.count[2]), (bin / g.count[2]) % g.count[1], bin % g.count[2]};
        near.clear();
        bool interior = true;
        for (int k = 0; k < 3; ++k) interior = interior && b[k] >= g.range[k] && b[k] + g.range[k] < g.count[k];
        if (interior) {  // no wrapping: each row is one range of bins at fixed linear offsets
          const int zero = images.index(0, 0, 0);
          for (std::size_t r = 0; r < rows.size(); ++r) {
            const int from = binStart[bin + rowFirst[r]], to = binStart[bin + rowLast[r] + 1];
            if (from != to) near.push_back({from, to, zero});
          }
        } else {  // near a boundary: wrap (periodic) or clip (open) through the lookup tables
          for (const Row& row : rows) {
            const int t0 = b[0] + row.o0 + wrap[0].start, t1 = b[1] + row.o1 + wrap[1].start;
            const int c0 = wrap[0].cell[t0], c1 = wrap[1].cell[t1];
            if (c0 < 0 || c1 < 0) continue;
            const int i0 = wrap[0].image[t0], i1 = wrap[1].image[t1];
            const int base = (c0 * g.count[1] + c1) * g.count[2];
            // Runs of consecutive z offsets with one image are contiguous bins.
            int runFrom = -1, runTo = -1, runImage = 0;
            auto flush = [&] {
              if (runFrom >= 0 && binStart[base + runFrom] != binStart[base + runTo + 1])
                near.push_back({binStart[base + runFrom], binStart[base + runTo + 1], images.index(i0, i1, runImage)});
              runFrom = -1;
            };
            for (int o2 = row.lo2; o2 <= row.hi2; ++o2) {
              const int t2 = b[2] + o2 + wrap[2].start;
              const int c2 = wrap[2].cell[t2], i2 = wrap[2].image[t2];
              if (c2 < 0) {
                flush();
                continue;
              }
              if (runFrom >= 0 && i2 == runImage && c2 == runTo + 1) {
                runTo = c2;
              } else {
                flush();
                runFrom = runTo = c2;
                runImage = i2;
              }
            }
            flush();
          }
        }
        for (int p = binStart[bin]; p < binStart[bin + 1]; ++p) {
          const int32_t i = atoms[p].index;
          const double xi = atoms[p].x, yi = atoms[p].y, zi = atoms[p].z;
          atomStart[i] = static_cast<int32_t>(length);
          atomBlock[i] = blk;
          for (const Segment& seg : near) {
            // Room for every candidate of this segment.
            if (length + static_cast<std::size_t>(seg.end - seg.begin) > capacity) {
              capacity = 2 * capacity + static_cast<std::size_t>(seg.end - seg.begin);
              out.grow(length, capacity);
            }
            int32_t* neighborOut = out.neighbor.data();
            int32_t* imageOut = out.image.data();
            const double* shift = &images.offset[3 * seg.image];
            const double sx = shift[0] - xi, sy = shift[1] - yi, sz = shift[2] - zi;
            const bool zeroImage = images.zero[seg.image], selfPositive = images.positive[seg.image];
            const int32_t image = seg.image;
            // Half list: a pair belongs to the atom that comes first in bin order, so only
            // q > p is searched (plus q == p, an atom's own image, for positive shifts).
            int q = seg.begin;
            if (!isFull) {
              q = std::max(seg.begin, p + 1);
              if (p >= seg.begin && p < seg.end && selfPositive) {
                const double dx = xi + sx, dy = yi + sy, dz = zi + sz;
                if (dx * dx + dy * dy + dz * dz < rc2) {
                  neighborOut[length] = p;
                  imageOut[length] = image;
                  ++length;
                }
              }
            }
            for (; q < seg.end; ++q) {
              const Packed& a = atoms[q];
              const double dx = a.x + sx, dy = a.y + sy, dz = a.z + sz;
              // Branch-free accept: write always, advance only for a neighbour.
              neighborOut[length] = q;
              imageOut[length] = image;
              length += (dx * dx + dy * dy + dz * dz < rc2) & !(isFull && q == p && zeroImage);
            }
          }
          atomCount[i] = static_cast<int32_t>(length) - atomStart[i];
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
  // Headroom lets a later rebuild into the same memory absorb a few more pairs.
  constexpr double kHeadroom = 0.1;
  const bool storeVectors = in.storeVectors;
  out.neighbors.reset(total, kHeadroom);
  out.shifts.reset(3 * total, kHeadroom);
  out.vectors.reset(storeVectors ? 3 * total : 0, kHeadroom);
  out.distances.reset(storeVectors ? total : 0, kHeadroom);

  // Pass 2: write every atom's records into its row, in original atom order so that each thread
  // writes one contiguous stretch of every output array. (Non-temporal stores were measured
  // slower here, even for outputs far larger than the caches.)
#pragma omp parallel for schedule(static) num_threads(threads)
  for (int64_t i = 0; i < static_cast<int64_t>(n); ++i) {
    const Block& b = blocks[atomBlock[i]];
    const int32_t* oi = &offset[3 * i];
    const double xi = wrapped[3 * i], yi = wrapped[3 * i + 1], zi = wrapped[3 * i + 2];
    std::size_t dst = out.rowPtr[i];
    const std::size_t src = atomStart[i], stop = src + atomCount[i];
    for (std::size_t k = src; k < stop; ++k, ++dst) {
      const int32_t q = b.neighbor[k];
      const double* shift = &images.offset[3 * b.image[k]];
      const int32_t* image = &images.shift[3 * b.image[k]];
      const Packed& a = packed[q];
      const int32_t j = a.index;
      const int32_t* oj = &offset[3 * j];
      out.neighbors[dst] = j;
      out.shifts[3 * dst] = image[0] - oj[0] + oi[0];
      out.shifts[3 * dst + 1] = image[1] - oj[1] + oi[1];
      out.shifts[3 * dst + 2] = image[2] - oj[2] + oi[2];
      if (!storeVectors) continue;
      const double dx = a.x + shift[0] - xi;
      const double dy = a.y + shift[1] - yi;
      const double dz = a.z + shift[2] - zi;
      out.vectors[3 * dst] = dx;
      out.vectors[3 * dst + 1] = dy;
      out.vectors[3 * dst + 2] = dz;
      out.distances[dst] = std::sqrt(dx * dx + dy * dy + dz * dz);
    }
  }
  return out;
}

void fillPairVectors(const double* positions, const double* cell, NeighborListData& list) {
  const std::size_t n = list.rowPtr.size() == 0 ? 0 : list.rowPtr.size() - 1;
  const std::size_t M = list.neighbors.size();
  list.vectors.reset(3 * M);
  list.distances.reset(M);
#pragma omp parallel for schedule(static) num_threads(numThreads())
  for (int64_t i = 0; i < static_cast<int64_t>(n); ++i) {
    for (int32_t p = list.rowPtr[i]; p < list.rowPtr[i + 1]; ++p) {
      double* d = &list.vectors[3 * static_cast<std::size_t>(p)];
      pairVector(positions, cell, list, static_cast<std::size_t>(i), static_cast<std::size_t>(p), d);
      list.distances[p] = std::sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
    }
  }
}

void checkNeighborListFor(const NeighborListData& list, std::size_t n, double cutoff, const std::string& what) {
  const std::size_t atoms = list.rowPtr.size() == 0 ? 0 : list.rowPtr.size() - 1;
  require(atoms == n, "E_VALUE",
          what + ": the neighbour list was built for " + std::to_string(atoms) + " atoms, the structure has " + std::to_string(n));
  require(list.cutoff >= cutoff * (1.0 - 1e-12), "E_VALUE",
          what + ": the neighbour list's cutoff (" + std::to_string(list.cutoff) + " Å, skin included) is shorter than the " +
              std::to_string(cutoff) + " Å this potential needs");
}

const NeighborListData& halfListOrBuild(const NeighborListData* given, const double* positions, std::size_t n,
                                       const double* cell, const bool pbc[3], double cutoff, NeighborListData& own,
                                       const std::string& what) {
  if (given != nullptr) {
    checkNeighborListFor(*given, n, cutoff, what);
    require(!given->full, "E_NATIVE", what + ": internal: a pair sum needs a half list");
    return *given;
  }
  NeighborListInput in;
  in.positions = positions;
  in.n = n;
  in.cell = cell;
  for (int k = 0; k < 3; ++k) in.pbc[k] = pbc[k];
  in.cutoff = cutoff;
  in.full = false;
  in.storeVectors = false;
  own = buildNeighborList(in);
  return own;
}

namespace {
bool positiveShift(const int32_t* s) { return s[0] > 0 || (s[0] == 0 && (s[1] > 0 || (s[1] == 0 && s[2] > 0))); }
}  // namespace

void deriveNeighborList(const NeighborListData& shared, const double* positions, const double* cell, std::size_t n,
                        double cutoff, bool full, double scale, NeighborListData& out) {
  const std::size_t M = shared.neighbors.size();
  const double rc2 = cutoff * cutoff;
  // Pass 1 (parallel over rows): which pairs are kept, and how many land in each row.
  std::vector<unsigned char> keep(M);
  std::vector<int32_t> count(n + 1, 0);
  const bool expand = full && !shared.full, halve = !full && shared.full;
#pragma omp parallel for schedule(static) num_threads(numThreads())
  for (int64_t i = 0; i < static_cast<int64_t>(n); ++i) {
    for (int32_t p = shared.rowPtr[i]; p < shared.rowPtr[i + 1]; ++p) {
      double d[3];
      pairVector(positions, cell, shared, static_cast<std::size_t>(i), static_cast<std::size_t>(p), d);
      const double r2 = scale * scale * (d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
      bool k = r2 < rc2;
      if (k && halve) {
        const int32_t j = shared.neighbors[p];
        k = i < j || (i == j && positiveShift(&shared.shifts[3 * static_cast<std::size_t>(p)]));
      }
      keep[static_cast<std::size_t>(p)] = k;
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    for (int32_t p = shared.rowPtr[i]; p < shared.rowPtr[i + 1]; ++p) {
      if (!keep[static_cast<std::size_t>(p)]) continue;
      ++count[i + 1];
      if (expand) ++count[static_cast<std::size_t>(shared.neighbors[p]) + 1];
    }
  }
  out.rowPtr.reset(n + 1);
  out.rowPtr[0] = 0;
  for (std::size_t i = 0; i < n; ++i) out.rowPtr[i + 1] = out.rowPtr[i] + count[i + 1];
  const std::size_t total = static_cast<std::size_t>(out.rowPtr[n]);
  out.neighbors.reset(total, 0.1), out.shifts.reset(3 * total, 0.1);
  out.vectors.reset(3 * total, 0.1), out.distances.reset(total, 0.1);
  out.cutoff = cutoff;
  out.full = full;
  // Pass 2 (in row order, so each row keeps the shared list's order): write the records.
  std::vector<int32_t> cursor(out.rowPtr.begin(), out.rowPtr.begin() + n);
  auto put = [&](std::size_t row, int32_t j, const int32_t* s, double sign, const double* d) {
    const std::size_t q = static_cast<std::size_t>(cursor[row]++);
    out.neighbors[q] = j;
    for (int a = 0; a < 3; ++a) {
      out.shifts[3 * q + a] = static_cast<int32_t>(sign) * s[a];
      out.vectors[3 * q + a] = sign * d[a];
    }
    out.distances[q] = std::sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
  };
  for (std::size_t i = 0; i < n; ++i) {
    for (int32_t p = shared.rowPtr[i]; p < shared.rowPtr[i + 1]; ++p) {
      if (!keep[static_cast<std::size_t>(p)]) continue;
      double d[3];
      pairVector(positions, cell, shared, i, static_cast<std::size_t>(p), d);
      for (double& x : d) x *= scale;
      const int32_t j = shared.neighbors[p];
      const int32_t* s = &shared.shifts[3 * static_cast<std::size_t>(p)];
      put(i, j, s, 1.0, d);
      if (expand) put(static_cast<std::size_t>(j), static_cast<int32_t>(i), s, -1.0, d);
    }
  }
}

std::size_t splitRowsByPairs(const NeighborListData& list, std::size_t n, int t, int team) {
  if (t <= 0) return 0;
  if (t >= team) return n;
  const int64_t target = static_cast<int64_t>(list.rowPtr[n]) * t / team;
  return static_cast<std::size_t>(std::lower_bound(list.rowPtr.begin(), list.rowPtr.begin() + n, target) -
                                  list.rowPtr.begin());
}

}  // namespace polymorph
