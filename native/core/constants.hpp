// Physical constants of the core, each defined once (the TypeScript side has its own single
// definitions in lib/structure/units.ts; the two agree to the last digit).
#pragma once

namespace polymorph {

// Coulomb constant k_e = e²/(4πε₀) in eV·Å/e², CODATA 2018.
constexpr double kCoulombConstant = 14.39964547842567;

}  // namespace polymorph
