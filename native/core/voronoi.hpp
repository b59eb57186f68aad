// Voronoi tessellation of atoms in a periodic triclinic cell, an open cluster, or a mixed cell
// (e.g. a slab), computed cell by cell without external libraries.
//
// Cell of atom i: start from a bounding shape around r_i and cut it, plane by plane, with the
// bisector planes  u·x ≤ |d|/2  (x relative to r_i, u = d/|d|) of its neighbours
// d = r_j + S·cell − r_i, until no farther atom can cut it: an atom farther than twice the
// cell's farthest vertex lies beyond every bisector that could (the security radius).
// Neighbours come from an image grid (image_grid.hpp: the atoms and their periodic images within
// a margin of the cell, which makes triclinic cells and cells smaller than a cell's reach work),
// visited ring by ring of bins outward and by distance within a ring, and stopping at the first
// ring beyond the security radius. A periodic cell not secured within the margin (twice its
// farthest vertex beyond it) is redone with a margin that covers it.
//
// The cell is a half-edge mesh with three edges at every vertex (voronoi_cell.hpp); a vertex
// within 1e-10·d_nn of a cutting plane counts as inside, so a plane that only touches the cell
// does not cut it, and the degenerate vertices of perfect crystals are split by edges of zero
// length into faces of zero area. Faces whose area is below `areaThreshold` × the cell's total
// surface area are dropped from the neighbours (their volume still counts).
//
// Boundaries:
//  - fully periodic: the starting cube has half-size |a|+|b|+|c| (the cell always closes inside);
//  - any open direction: every cell is also clipped by the 26-face polyhedron around the sphere
//    of radius `openBoundary` (Å) centred on its atom (faces normal to the axes, face diagonals
//    and body diagonals at that distance; circumradius 1.128 × openBoundary; default 2 × the
//    median nearest-neighbour distance). Its faces are artificial: they are not neighbours,
//    carry no weight, and their area is reported as the atom's `openArea` (> 0 marks a surface
//    atom whose true cell is unbounded or reaches that far). Cell volumes then sum to the volume
//    of the union of those polyhedra ∩ Voronoi cells, not a box. The polyhedron is close to a
//    sphere, so a rotated cluster gives nearly the same surface cells (a cube would not).
//
// Results are independent of the thread count (each cell is computed alone, from its
// neighbours in a fixed order). Units: Å, Å², Å³.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace polymorph {

struct VoronoiInput {
  const double* positions = nullptr;  // [n,3] Å
  std::size_t n = 0;
  const double* cell = nullptr;       // [3,3] rows = lattice vectors (Å); may be null if no pbc
  bool pbc[3] = {false, false, false};
};

struct VoronoiOptions {
  double areaThreshold = 1e-5;  // faces with area < areaThreshold × total cell area are dropped ([0, 1))
  double openBoundary = 0.0;    // Å; radius of the per-atom boundary polyhedron with open directions (0: default)
};

struct VoronoiTessellation {
  std::vector<double> volumes;     // [n] Å³
  std::vector<double> openArea;    // [n] Å², area of artificial (open-boundary) faces
  std::vector<int32_t> rowPtr;     // [n+1] faces of atom i: [rowPtr[i], rowPtr[i+1])
  std::vector<int32_t> neighbors;  // [F] atom j across each face
  std::vector<int32_t> shifts;     // [F,3] image shift S of j
  std::vector<double> vectors;     // [F,3] d = r_j + S·cell − r_i (Å)
  std::vector<double> areas;       // [F] Å²
  double openBoundary = 0.0;       // Å, half-size used (0 when fully periodic)
  int passes = 0;                  // neighbour lists built (security-radius growth)
};

// Throws polymorph::Error: E_EMPTY (no atoms), E_VALUE (non-finite positions, bad options),
// E_CELL (missing/singular cell with pbc).
VoronoiTessellation voronoiTessellation(const VoronoiInput& input, const VoronoiOptions& options = {});

// Median distance (Å) from each atom to its nearest neighbour (images included); 0 when no atom
// has a neighbour (a single atom in open space). Used for defaults.
double medianNearestNeighborDistance(const VoronoiInput& input);

}  // namespace polymorph
