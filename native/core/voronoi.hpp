// Voronoi tessellation of atoms in a periodic triclinic cell, an open cluster, or a mixed cell
// (e.g. a slab), computed cell by cell without external libraries.
//
// Cell of atom i: start from a bounding cube around r_i and clip it, plane by plane, with the
// bisector planes  u·x ≤ |d|/2  (x relative to r_i, u = d/|d|) of its neighbours d = r_j + S·cell − r_i
// taken in order of distance (ties: j, then S), until the next neighbour is farther than twice
// the cell's farthest vertex (the security radius: no farther atom can cut the cell). Candidates
// come from the repo's neighbour list (image shifts make triclinic periodic cells and cells
// smaller than the cutoff work); atoms whose cell is not yet secured when their candidates run
// out are redone with a neighbour list of 1.4× the radius, until every cell is secured.
//
// Each face is a convex polygon; a clip keeps the part of every face inside the plane
// (Sutherland–Hodgman) and closes the cut with the new face (the section points, ordered by
// angle). A plane that only touches the cell (no vertex farther out than 1e-10·d_nn) does not
// cut it, so the degenerate vertices of perfect crystals give no zero-area faces; faces whose
// area is below `areaThreshold` × the cell's total surface area are dropped from the neighbours
// (their volume still counts).
//
// Boundaries:
//  - fully periodic: the starting cube has half-size |a|+|b|+|c| (the cell always closes inside);
//  - any open direction: every cell is also clipped by a cube of half-size `openBoundary` (Å)
//    centred on its atom (default 2 × the median nearest-neighbour distance). Faces on that cube
//    are artificial: they are not neighbours, carry no weight, and their area is reported as the
//    atom's `openArea` (> 0 marks a surface atom whose true cell is unbounded or reaches that far).
//    Cell volumes then sum to the volume of the union of those cubes ∩ Voronoi cells, not a box.
//
// Results are independent of the thread count (each cell is computed alone, from sorted
// candidates). Units: Å, Å², Å³.
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
  double openBoundary = 0.0;    // Å; half-size of the per-atom cube with open directions (0: default)
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
