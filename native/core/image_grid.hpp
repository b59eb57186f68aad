// The atoms and their periodic images within a margin of the cell, binned on a uniform Cartesian
// grid, for searches that grow outward from one atom ring by ring of bins (Voronoi cells, nearest
// neighbours) and stop as soon as no farther atom can matter.
//
// Points. In periodic directions every atom is first wrapped into the cell (fractional coordinate
// in [0, 1)) and then replicated by integer shifts T while its fractional coordinate stays in
// [−m, 1 + m), m = margin / (the cell's width across that direction): every image within
// `margin` Å of any point of the cell is present, so a search around an atom sees every image
// within `margin` of it. Open directions are neither wrapped nor replicated. Point p stands for
// atom atom(p) shifted by shift(p) (S, relative to the atom's unwrapped position r_j), so the
// vector from atom i to point p is r_j + S·cell − r_i; each atom's own unshifted-by-T point is
// its home point.
//
// Rings. Bins are cubes of side `binSize` Å. For a bin offset (dx, dy, dz), any point of the
// offset bin lies at least  binSize · sqrt(Σ max(|d_a| − 1, 0)²)  from any point of the home bin;
// ring k holds the offsets whose bound is the k-th smallest value, up to `searchRadius`.
// Visiting rings in order and stopping at the first ring whose bound exceeds a radius R visits
// every point closer than R (and some farther ones).
//
// Sizes: points ≈ n · Π(1 + 2m) (refused with E_VALUE past `maxPoints`), bins ≤ 4 × points + 64
// (the bin side grows if needed), ring offsets (2·searchRadius/binSize + 3)³ at most.
// Built serially in O(points); searches are read-only (any number of threads).
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace polymorph {

struct ImageGridInput {
  const double* positions = nullptr;  // [n,3] Å
  std::size_t n = 0;
  const double* cell = nullptr;       // [3,3] rows = lattice vectors (Å); used where pbc
  bool pbc[3] = {false, false, false};
};

class ImageGrid {
 public:
  // Throws E_VALUE when more than `maxPoints` points would be needed (margin too large).
  ImageGrid(const ImageGridInput& input, double binSize, double margin, double searchRadius,
            double maxPoints = 2e8);

  std::size_t points() const { return atom_.size(); }
  int32_t atom(std::size_t p) const { return atom_[p]; }
  const int32_t* shift(std::size_t p) const { return &shift_[3 * p]; }
  const double* point(std::size_t p) const { return &xyz_[3 * p]; }
  std::size_t home(std::size_t i) const { return static_cast<std::size_t>(home_[i]); }
  double margin() const { return margin_; }
  double binSize() const { return bin_; }

  std::size_t rings() const { return ringStart_.size() - 1; }
  // Lower bound (Å) of the distance from the home bin to any point of ring r.
  double ringBound(std::size_t r) const { return ringBound_[r]; }
  // Calls f(p) for every point p of ring r around atom i's home bin whose bin comes closer than
  // `reach` (Å) to the atom (bins wholly farther are skipped), the home point included.
  template <class F>
  void forEachInRing(std::size_t i, std::size_t r, double reach, F&& f) const {
    const int32_t h = home_[i];
    const int32_t b = binOf_[static_cast<std::size_t>(h)];
    const int hz = b % dims_[2], hy = (b / dims_[2]) % dims_[1], hx = b / (dims_[2] * dims_[1]);
    // The atom's position inside its bin, in bin units from the bin's low corner.
    const double* o = &xyz_[3 * static_cast<std::size_t>(h)];
    const double fx = (o[0] - lo_[0]) / bin_ - hx, fy = (o[1] - lo_[1]) / bin_ - hy, fz = (o[2] - lo_[2]) / bin_ - hz;
    const double limit = reach / bin_, limit2 = limit * limit;
    for (int32_t k = ringStart_[r]; k < ringStart_[r + 1]; ++k) {
      const int dx = offsets_[3 * k], dy = offsets_[3 * k + 1], dz = offsets_[3 * k + 2];
      const int x = hx + dx, y = hy + dy, z = hz + dz;
      if (x < 0 || y < 0 || z < 0 || x >= dims_[0] || y >= dims_[1] || z >= dims_[2]) continue;
      // Distance (bin units) from the atom to the offset bin [d, d + 1) along each axis.
      const double gx = dx > 0 ? dx - fx : (dx < 0 ? fx - dx - 1 : 0);
      const double gy = dy > 0 ? dy - fy : (dy < 0 ? fy - dy - 1 : 0);
      const double gz = dz > 0 ? dz - fz : (dz < 0 ? fz - dz - 1 : 0);
      if (gx * gx + gy * gy + gz * gz > limit2) continue;
      const std::size_t bin = static_cast<std::size_t>((x * dims_[1] + y) * dims_[2] + z);
      for (int32_t p = binStart_[bin]; p < binStart_[bin + 1]; ++p) f(static_cast<std::size_t>(p));
    }
  }

 private:
  std::vector<double> xyz_;       // [P,3] point positions (Å), sorted by bin
  std::vector<int32_t> atom_;     // [P]
  std::vector<int32_t> shift_;    // [P,3]
  std::vector<int32_t> binOf_;    // [P]
  std::vector<int32_t> home_;     // [n] home point of each atom
  std::vector<int32_t> binStart_; // [bins+1]
  std::vector<int32_t> offsets_;  // [K,3] ring offsets, ring by ring
  std::vector<int32_t> ringStart_;
  std::vector<double> ringBound_;
  double lo_[3] = {0, 0, 0};
  int dims_[3] = {1, 1, 1};
  double bin_ = 1.0, margin_ = 0.0;
};

}  // namespace polymorph
