// Internal: functions of one central element grouped so that one pass over a group's neighbour
// pairs or triplets evaluates all its members (see symmetry_functions.hpp).
#pragma once
#include <vector>

#include "core/cutoff_function.hpp"
#include "core/symmetry_functions.hpp"

namespace polymorph {

enum class GroupKind { GaussianRadial, GaussianAngular, CompactRadial, CompactAngular };

// A group: functions of one central element with the same type and neighbour elements (and,
// for the Gaussian types, the same cutoff). Member arrays are indexed by member position.
struct SymmetryFunctionGroup {
  GroupKind kind = GroupKind::GaussianRadial;
  int type = 0;
  bool narrow = false;    // angular: r_jk enters (types 3, 13, 21, 24)
  bool weighted = false;  // Z-weighted (12, 13, 23, 24, 25): neighbours of every element
  int e1 = -1, e2 = -1;   // neighbour elements (−1: every element)
  double cutoff = 0.0;    // largest radius a participant may have
  CutoffFunction cutoffFunction;  // Gaussian types

  std::vector<int> index;  // member → function index within the element

  // Gaussian members.
  std::vector<double> eta, rShift, lambda, zeta, prefactor;  // prefactor 2^(1−ζ)
  std::vector<int> integerZeta;  // ζ as an integer, or −1 when ζ is not integral
  std::vector<int> gaussian;     // index into the distinct (η, r_s) pairs below
  std::vector<double> gaussianEta, gaussianShift;
  // Distinct (λ, ζ) of the members: (1 + λ cos θ)^ζ is computed once per triplet and pair.
  std::vector<int> angular;      // member → index into the distinct pairs below
  std::vector<double> angularLambda, angularZeta;

  // Compact members.
  std::vector<CompactFunction> radial;  // distinct radial functions of the group
  std::vector<double> radialLow;        // their r_l (a participant needs r_l < r < r_c)
  std::vector<int> radialIndex;         // member → radial function
  std::vector<int> radialOrder;         // radial functions by decreasing r_c (early exit)
  std::vector<std::vector<int>> radialMembers;  // radial function → its members
  std::vector<CompactFunction> angle;   // member → angular function (radians)
  std::vector<double> angleLeft, angleRight;  // radians
};

struct SymmetryFunctionGroups {
  std::vector<std::vector<SymmetryFunctionGroup>> byElement;
};

}  // namespace polymorph
