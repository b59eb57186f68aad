#include "core/voronoi.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "core/error.hpp"
#include "core/geometry.hpp"
#include "core/neighbor_list.hpp"
#include "core/threads.hpp"
#include "core/image_grid.hpp"
#include "core/voronoi_cell.hpp"

namespace polymorph {
namespace {

void validate(const VoronoiInput& input) {
  require(input.n > 0, "E_EMPTY", "voronoi: the structure has no atoms");
  require(input.positions != nullptr, "E_VALUE", "voronoi: positions are missing");
  const std::size_t bad = firstNonFinite(input.positions, 3 * input.n);
  require(bad == 3 * input.n, "E_VALUE", "voronoi: position of atom " + std::to_string(bad / 3) + " is not finite");
  const bool anyPbc = input.pbc[0] || input.pbc[1] || input.pbc[2];
  require(!anyPbc || input.cell != nullptr, "E_CELL", "voronoi: a periodic structure needs a cell");
}

bool fullyPeriodic(const VoronoiInput& input) {
  return input.cell != nullptr && input.pbc[0] && input.pbc[1] && input.pbc[2];
}

// The atoms' axis-aligned bounding box.
void boundingBox(const VoronoiInput& input, double lo[3], double hi[3]) {
  for (int a = 0; a < 3; ++a) lo[a] = hi[a] = input.positions[a];
  for (std::size_t i = 1; i < input.n; ++i)
    for (int a = 0; a < 3; ++a) {
      lo[a] = std::min(lo[a], input.positions[3 * i + a]);
      hi[a] = std::max(hi[a], input.positions[3 * i + a]);
    }
}

// A rough length scale: (volume per atom)^(1/3) of the cell or of the atoms' bounding box.
double densityLength(const VoronoiInput& input) {
  if (fullyPeriodic(input)) {
    Mat3 m;
    std::copy(input.cell, input.cell + 9, m.begin());
    return std::cbrt(std::fabs(determinant(m)) / static_cast<double>(input.n));
  }
  double lo[3], hi[3];
  boundingBox(input, lo, hi);
  double volume = 1.0;
  for (int a = 0; a < 3; ++a) volume *= std::max(hi[a] - lo[a], 1.0);
  return std::max(std::cbrt(volume / static_cast<double>(input.n)), 0.5);
}

double boundingDiagonal(const VoronoiInput& input) {
  double lo[3], hi[3];
  boundingBox(input, lo, hi);
  double s = 0;
  for (int a = 0; a < 3; ++a) s += (hi[a] - lo[a]) * (hi[a] - lo[a]);
  double cellSum = 0;
  if (input.cell != nullptr)
    for (int k = 0; k < 3; ++k)
      cellSum += std::sqrt(input.cell[3 * k] * input.cell[3 * k] + input.cell[3 * k + 1] * input.cell[3 * k + 1] +
                           input.cell[3 * k + 2] * input.cell[3 * k + 2]);
  return std::sqrt(s) + cellSum;
}

// A neighbour whose bisector may cut the cell: its grid point and d = point − atom (Å).
struct Candidate {
  double d[3];
  double r2;
  int32_t point;
};

struct VoronoiFace {
  int32_t j;
  int32_t s[3];
  double d[3];
  double area;
};

NeighborListData leanList(const VoronoiInput& input, double cutoff) {
  NeighborListInput in;
  in.positions = input.positions;
  in.n = input.n;
  in.cell = input.cell;
  for (int a = 0; a < 3; ++a) in.pbc[a] = input.pbc[a];
  in.cutoff = cutoff;
  in.full = true;
  in.storeVectors = false;
  return buildNeighborList(in);
}

}  // namespace

namespace {

// The median nearest-neighbour distance by growing neighbour lists (the fallback for sparse
// periodic systems whose neighbours lie beyond the image grid's margin).
double medianByLists(const VoronoiInput& input) {
  const bool periodic = input.pbc[0] || input.pbc[1] || input.pbc[2];
  const double limit = periodic ? std::numeric_limits<double>::infinity() : boundingDiagonal(input) * 1.01 + 1e-9;
  double cutoff = 1.5 * densityLength(input);
  for (int pass = 0; pass < 60; ++pass) {
    if (!periodic && cutoff > limit) cutoff = limit;
    if (!(cutoff > 0)) return 0.0;
    NeighborListData list = leanList(input, cutoff);
    std::vector<double> nearest;
    nearest.reserve(input.n);
    for (std::size_t i = 0; i < input.n; ++i) {
      double best = std::numeric_limits<double>::infinity();
      for (int32_t p = list.rowPtr[i]; p < list.rowPtr[i + 1]; ++p) {
        double d[3];
        pairVector(input.positions, input.cell, list, i, p, d);
        best = std::min(best, d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
      }
      if (std::isfinite(best)) nearest.push_back(std::sqrt(best));
    }
    if (2 * nearest.size() >= input.n || (!periodic && cutoff >= limit)) {
      if (nearest.empty()) return 0.0;
      std::nth_element(nearest.begin(), nearest.begin() + nearest.size() / 2, nearest.end());
      return nearest[nearest.size() / 2];
    }
    cutoff *= 2.0;
  }
  return 0.0;
}

ImageGridInput gridInputOf(const VoronoiInput& input) {
  ImageGridInput g;
  g.positions = input.positions;
  g.n = input.n;
  g.cell = input.cell;
  for (int a = 0; a < 3; ++a) g.pbc[a] = input.pbc[a];
  return g;
}

}  // namespace

double medianNearestNeighborDistance(const VoronoiInput& input) {
  validate(input);
  const bool periodic = input.pbc[0] || input.pbc[1] || input.pbc[2];
  if (input.n == 1 && !periodic) return 0.0;
  // Nearest neighbours on an image grid, for the atoms that have one within 3 × the density length.
  const double length = densityLength(input);
  const double reach = 3.0 * length;
  const ImageGrid grid(gridInputOf(input), length, periodic ? reach : 0.0, reach);
  std::vector<double> nearest;
  nearest.reserve(input.n);
  for (std::size_t i = 0; i < input.n; ++i) {
    const std::size_t home = grid.home(i);
    const double* o = grid.point(home);
    double best2 = reach * reach;
    for (std::size_t ring = 0; ring < grid.rings(); ++ring) {
      const double bound = grid.ringBound(ring);
      if (bound * bound > best2) break;
      grid.forEachInRing(i, ring, std::sqrt(best2), [&](std::size_t p) {
        if (p == home) return;
        const double* q = grid.point(p);
        const double dx = q[0] - o[0], dy = q[1] - o[1], dz = q[2] - o[2];
        best2 = std::min(best2, dx * dx + dy * dy + dz * dz);
      });
    }
    if (best2 < reach * reach) nearest.push_back(std::sqrt(best2));
  }
  // Sparse systems (most atoms without a neighbour within 3 × the density length): grow lists.
  if (2 * nearest.size() < input.n) return medianByLists(input);
  if (nearest.empty()) return 0.0;
  std::nth_element(nearest.begin(), nearest.begin() + nearest.size() / 2, nearest.end());
  return nearest[nearest.size() / 2];
}

VoronoiTessellation voronoiTessellation(const VoronoiInput& input, const VoronoiOptions& options) {
  validate(input);
  require(std::isfinite(options.areaThreshold) && options.areaThreshold >= 0 && options.areaThreshold < 1, "E_VALUE",
          "voronoi: areaThreshold must be in [0, 1), got " + std::to_string(options.areaThreshold));
  require(std::isfinite(options.openBoundary) && options.openBoundary >= 0, "E_VALUE",
          "voronoi: openBoundary must be a non-negative number of Å, got " + std::to_string(options.openBoundary));
  const std::size_t n = input.n;
  const bool periodic = fullyPeriodic(input);
  const bool anyPbc = input.pbc[0] || input.pbc[1] || input.pbc[2];
  const double nearest = medianNearestNeighborDistance(input);
  const double length = nearest > 0 ? nearest : densityLength(input);
  const double tolerance = 1e-10 * length;
  VoronoiTessellation out;
  // The starting shape and its circumradius: no cell reaches farther, so no atom farther than
  // twice that can cut any cell.
  double halfSize, startRadius;
  if (periodic) {
    halfSize = 0;
    for (int k = 0; k < 3; ++k)
      halfSize += std::sqrt(input.cell[3 * k] * input.cell[3 * k] + input.cell[3 * k + 1] * input.cell[3 * k + 1] +
                            input.cell[3 * k + 2] * input.cell[3 * k + 2]);
    startRadius = std::sqrt(3.0) * halfSize;
  } else {
    halfSize = options.openBoundary > 0 ? options.openBoundary : 2.0 * length;
    out.openBoundary = halfSize;
    VoronoiCell probe;
    probe.startCube(halfSize);
    probe.clipToSphere(halfSize);
    startRadius = probe.farthest();
  }
  const double searchLimit = 2.0 * startRadius * (1 + 1e-9) + tolerance;
  // Periodic images are generated within `margin` of the cell; a cell is secured once twice its
  // farthest vertex is within the margin. Unsecured cells are redone with a margin that covers them.
  // With open directions no cell reaches past the boundary polyhedron: one pass covers them all.
  double margin = periodic ? std::min(3.0 * length, searchLimit) : (anyPbc ? searchLimit : 0.0);
  const double binSize = length;

  std::vector<std::vector<VoronoiFace>> faces(n);
  std::vector<double> volumes(n, 0.0), openArea(n, 0.0);
  std::vector<int32_t> pending(n);
  for (std::size_t i = 0; i < n; ++i) pending[i] = static_cast<int32_t>(i);
  const ImageGridInput gridInput = gridInputOf(input);
  while (!pending.empty()) {
    ++out.passes;
    const ImageGrid grid(gridInput, binSize, margin, anyPbc ? margin : searchLimit);
    std::vector<double> needed(pending.size(), 0.0);
    ParallelExceptions guard;
#pragma omp parallel num_threads(numThreads())
    {
      VoronoiCell cell;
      std::vector<int32_t> planes;
      std::vector<Candidate> candidates;
      std::vector<VoronoiCellFace> cellFaces;
#pragma omp for schedule(dynamic, 64)
      for (std::size_t k = 0; k < pending.size(); ++k) {
        guard.run([&] {
          const std::size_t i = static_cast<std::size_t>(pending[k]);
          // Open directions: the sphere polyhedron's diagonal faces come after the first ring,
          // when they no longer reach most cells (cuts commute).
          cell.startCube(halfSize);
          bool sphere = periodic;
          planes.clear();
          const std::size_t home = grid.home(i);
          const double* o = grid.point(home);
          bool secured = false;
          for (std::size_t ring = 0; ring < grid.rings(); ++ring) {
            const double reach = 2.0 * cell.farthest() * (1 + 1e-12) + tolerance;
            if (grid.ringBound(ring) > reach) {
              secured = true;
              break;
            }
            candidates.clear();
            grid.forEachInRing(i, ring, reach, [&](std::size_t p) {
              if (p == home) return;
              Candidate c;
              const double* q = grid.point(p);
              for (int a = 0; a < 3; ++a) c.d[a] = q[a] - o[a];
              c.r2 = c.d[0] * c.d[0] + c.d[1] * c.d[1] + c.d[2] * c.d[2];
              if (c.r2 > reach * reach) return;
              c.point = static_cast<int32_t>(p);
              candidates.push_back(c);
            });
            std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
              return a.r2 != b.r2 ? a.r2 < b.r2 : a.point < b.point;
            });
            for (const Candidate& c : candidates)
              if (cell.cut(c.d, c.r2, static_cast<int32_t>(planes.size()), tolerance)) planes.push_back(c.point);
            if (!sphere) {
              cell.clipToSphere(halfSize);
              sphere = true;
            }
          }
          if (!sphere) cell.clipToSphere(halfSize);
          const double reach = 2.0 * cell.farthest() * (1 + 1e-12) + tolerance;
          if (!secured) secured = !anyPbc || reach <= grid.margin();
          if (!secured) {
            needed[k] = reach;
            return;
          }
          double volume = 0;
          cell.faces(cellFaces, volume);
          double total = 0;
          for (const VoronoiCellFace& f : cellFaces) total += f.area;
          // Keep the real faces above the threshold; artificial ones count as open area.
          std::vector<VoronoiFace>& kept = faces[i];
          kept.clear();
          double open = 0;
          const int32_t* wrap = grid.shift(home);
          const double* ri = input.positions + 3 * i;
          for (const VoronoiCellFace& f : cellFaces) {
            if (f.plane < 0) {
              open += f.area;
              continue;
            }
            if (!(f.area >= options.areaThreshold * total && f.area > 0)) continue;
            const std::size_t p = static_cast<std::size_t>(planes[static_cast<std::size_t>(f.plane)]);
            VoronoiFace face;
            face.j = grid.atom(p);
            const int32_t* s = grid.shift(p);
            for (int a = 0; a < 3; ++a) face.s[a] = s[a] - wrap[a];
            const double* rj = input.positions + 3 * static_cast<std::size_t>(face.j);
            for (int a = 0; a < 3; ++a) {
              face.d[a] = rj[a] - ri[a];
              if (anyPbc) face.d[a] += face.s[0] * input.cell[a] + face.s[1] * input.cell[3 + a] + face.s[2] * input.cell[6 + a];
            }
            face.area = f.area;
            kept.push_back(face);
          }
          volumes[i] = volume;
          openArea[i] = open;
        });
      }
    }
    guard.rethrow();
    std::vector<int32_t> still;
    double widest = 0;
    for (std::size_t k = 0; k < pending.size(); ++k)
      if (needed[k] > 0) {
        still.push_back(pending[k]);
        widest = std::max(widest, needed[k]);
      }
    pending.swap(still);
    margin = std::min(std::max(1.5 * margin, widest * 1.0001), searchLimit);
  }

  out.volumes = std::move(volumes);
  out.openArea = std::move(openArea);
  out.rowPtr.assign(n + 1, 0);
  for (std::size_t i = 0; i < n; ++i) out.rowPtr[i + 1] = out.rowPtr[i] + static_cast<int32_t>(faces[i].size());
  const std::size_t total = static_cast<std::size_t>(out.rowPtr[n]);
  out.neighbors.resize(total);
  out.shifts.resize(3 * total);
  out.vectors.resize(3 * total);
  out.areas.resize(total);
  for (std::size_t i = 0; i < n; ++i) {
    std::size_t p = static_cast<std::size_t>(out.rowPtr[i]);
    for (const VoronoiFace& f : faces[i]) {
      out.neighbors[p] = f.j;
      for (int a = 0; a < 3; ++a) {
        out.shifts[3 * p + a] = f.s[a];
        out.vectors[3 * p + a] = f.d[a];
      }
      out.areas[p] = f.area;
      ++p;
    }
  }
  return out;
}

}  // namespace polymorph
