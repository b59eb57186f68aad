#include "core/voronoi.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "core/error.hpp"
#include "core/geometry.hpp"
#include "core/neighbor_list.hpp"
#include "core/threads.hpp"
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

double medianNearestNeighborDistance(const VoronoiInput& input) {
  validate(input);
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

VoronoiTessellation voronoiTessellation(const VoronoiInput& input, const VoronoiOptions& options) {
  validate(input);
  require(std::isfinite(options.areaThreshold) && options.areaThreshold >= 0 && options.areaThreshold < 1, "E_VALUE",
          "voronoi: areaThreshold must be in [0, 1), got " + std::to_string(options.areaThreshold));
  require(std::isfinite(options.openBoundary) && options.openBoundary >= 0, "E_VALUE",
          "voronoi: openBoundary must be a non-negative number of Å, got " + std::to_string(options.openBoundary));
  const std::size_t n = input.n;
  const bool periodic = fullyPeriodic(input);
  const double nearest = medianNearestNeighborDistance(input);
  VoronoiTessellation out;
  double halfSize;
  if (periodic) {
    halfSize = 0;
    for (int k = 0; k < 3; ++k)
      halfSize += std::sqrt(input.cell[3 * k] * input.cell[3 * k] + input.cell[3 * k + 1] * input.cell[3 * k + 1] +
                            input.cell[3 * k + 2] * input.cell[3 * k + 2]);
  } else {
    halfSize = options.openBoundary > 0 ? options.openBoundary : 2.0 * (nearest > 0 ? nearest : densityLength(input));
    out.openBoundary = halfSize;
  }
  const double length = nearest > 0 ? nearest : densityLength(input);
  const double tolerance = 1e-10 * length;
  // Beyond this radius every cell is secured (the farthest vertex of the starting cube is √3·halfSize away).
  const double maxRadius = 2.0 * std::sqrt(3.0) * halfSize * 1.0001;

  std::vector<std::vector<VoronoiFace>> faces(n);
  std::vector<double> volumes(n, 0.0), openArea(n, 0.0);
  std::vector<int32_t> pending(n);
  for (std::size_t i = 0; i < n; ++i) pending[i] = static_cast<int32_t>(i);
  double radius = std::min(2.0 * length, maxRadius);
  if (!periodic && n == 1) radius = maxRadius;
  while (!pending.empty()) {
    ++out.passes;
    const bool last = radius >= maxRadius;
    NeighborListData list;
    if (n > 1 || periodic) list = leanList(input, radius);
    std::vector<uint8_t> done(pending.size(), 0);
    ParallelExceptions guard;
#pragma omp parallel num_threads(numThreads())
    {
      VoronoiCellBuilder builder;
      std::vector<VoronoiCandidate> candidates;
#pragma omp for schedule(dynamic, 64)
      for (std::size_t k = 0; k < pending.size(); ++k) {
        guard.run([&] {
          const std::size_t i = static_cast<std::size_t>(pending[k]);
          candidates.clear();
          if (list.rowPtr.size() == n + 1) {
            for (int32_t p = list.rowPtr[i]; p < list.rowPtr[i + 1]; ++p) {
              VoronoiCandidate c;
              pairVector(input.positions, input.cell, list, i, static_cast<std::size_t>(p), c.d);
              c.r2 = c.d[0] * c.d[0] + c.d[1] * c.d[1] + c.d[2] * c.d[2];
              c.j = list.neighbors[p];
              for (int a = 0; a < 3; ++a) c.s[a] = list.shifts[3 * p + a];
              candidates.push_back(c);
            }
          }
          sortCandidates(candidates);
          VoronoiCellResult cell;
          const bool secured = builder.build(candidates, halfSize, radius, tolerance, cell);
          if (!secured && !last) return;
          // Keep the real faces above the threshold; artificial ones count as open area.
          double total = 0;
          for (const VoronoiFace& f : cell.faces) total += f.area;
          std::vector<VoronoiFace>& kept = faces[i];
          kept.clear();
          double open = 0;
          for (const VoronoiFace& f : cell.faces) {
            if (f.candidate < 0) {
              open += f.area;
            } else if (f.area >= options.areaThreshold * total && f.area > 0) {
              kept.push_back(f);
            }
          }
          volumes[i] = cell.volume;
          openArea[i] = open;
          done[k] = 1;
        });
      }
    }
    guard.rethrow();
    std::vector<int32_t> still;
    for (std::size_t k = 0; k < pending.size(); ++k)
      if (!done[k]) still.push_back(pending[k]);
    pending.swap(still);
    radius = std::min(radius * 1.4, maxRadius);
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
