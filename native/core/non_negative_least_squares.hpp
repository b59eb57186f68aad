// Non-negative least squares: min ‖y − X w‖² subject to w ≥ 0, given the normal equations
// G = XᵀX [p, p] and c = Xᵀy [p] (Lawson & Hanson, "Solving Least Squares Problems" (1974),
// ch. 23: the active-set algorithm, here on the normal equations). Used for the noise variance
// of LassoLarsIC with positive = true, as scikit-learn does with LinearRegression(positive=True).
#pragma once
#include <cstddef>
#include <vector>

namespace polymorph {

// The solution w [p] (unique when G is positive definite). The returned w satisfies the
// Karush–Kuhn–Tucker conditions to round-off: w ≥ 0, c − G w ≤ tol where w = 0 and ≈ 0 where
// w > 0. Throws E_VALUE on bad sizes or non-finite input, E_CONVERGENCE if the active set cycles
// beyond 3p outer iterations.
std::vector<double> nonNegativeLeastSquares(const double* gram, const double* xty, std::size_t p);

}  // namespace polymorph
