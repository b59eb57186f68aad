// Mean squared displacement over a trajectory, one frame at a time (never the whole trajectory):
// positions unwrapped frame to frame through the nearest periodic image (atoms must move less
// than half a cell between frames), a ring of the last maxLag + 1 unwrapped frames, and every
// frame a time origin. For each lag τ it sums, over origins, the mean over all atoms (and over
// each species' atoms) of |r(t₀ + τ) − r(t₀)|². With `com`, positions are taken relative to the
// centre of mass (its drift cancels). Lags run in parallel (each summed in atom order by one
// thread: identical for any thread count). Units: Å, Å².
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace polymorph {

class MsdAccumulator {
 public:
  // species [n] in [0, speciesCount); masses [n] (amu, used with com). Throws E_VALUE on bad input.
  MsdAccumulator(std::vector<int32_t> species, int speciesCount, int maxLag, bool com, std::vector<double> masses);

  // One frame: positions [n,3] Å (wrapped or not), cell [3,3] (rows; may be null when no pbc).
  // Throws E_VALUE for non-finite positions, E_CELL for a periodic frame without a usable cell.
  void add(const double* positions, const double* cell, const bool pbc[3]);

  std::size_t atoms() const { return species_.size(); }
  int frames() const { return frames_; }
  int lags() const;                                             // min(maxLag + 1, frames)
  const std::vector<double>& sums() const { return sums_; }     // [maxLag + 1] Σ over origins of the all-atom mean
  const std::vector<double>& perSpecies() const { return perSpecies_; }  // [(maxLag + 1) · S]
  const std::vector<double>& origins() const { return counts_; }          // [maxLag + 1] origins per lag

 private:
  std::vector<int32_t> species_;
  int speciesCount_;
  int maxLag_;
  bool com_;
  std::vector<double> masses_;
  std::vector<double> speciesAtoms_;
  std::vector<std::vector<double>> ring_;  // unwrapped frames, oldest first (at most maxLag + 1)
  std::vector<double> previous_;           // the last frame as given
  std::vector<double> sums_, perSpecies_, counts_;
  int frames_ = 0;
};

}  // namespace polymorph
