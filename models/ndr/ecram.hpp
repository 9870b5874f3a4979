#pragma once
// The ECRAM element shared by the `ecram` and `ndr_ecram` devices (docs/models/ndr-ecram.md):
// a channel conductance set by the normalised ion content n of the channel, and a gate whose
// Faradaic current moves ions in or out (Butler-Volmer at the electrolyte interface):
//   G(n)    = gmin + (gmax - gmin) n
//   I_G     = ig0 sinh((V_G - V_oc(n)) / (2 m V_t)),   V_oc(n) = voc0 + V_t ln(n / (1 - n))
//   qtot dn/dt = I_G
// A floating gate (I_G = 0) holds n: the state is non-volatile, and its DC operating point is
// held at the initial n0. The ln(n/(1-n)) term bounds n softly inside (0, 1).
#include <algorithm>
#include <cmath>
#include <fmt/format.h>

#include "builtin/param_reader.hpp"
#include "memristor/limited_math.hpp"

namespace memspice::models {

struct Ecram {
  double gmin = 1e-6, gmax = 1e-5, ig0 = 1e-12, voc0 = 0, m = 1, qtot = 1e-9, n0 = 0.5;

  void read(ParamReader& p, const std::string& name) {
    gmin = p.either("gmin", gmin);
    gmax = p.either("gmax", gmax);
    ig0 = p.either("ig0", ig0);
    voc0 = p.either("voc0", voc0);
    m = p.either("m", m);
    qtot = p.either("qtot", qtot);
    n0 = p.either("n0", n0);
    if (!(gmin >= 0) || !(gmax > gmin)) p.fail(fmt::format("'{}': needs 0 <= gmin < gmax", name));
    if (!(ig0 > 0) || !(m > 0) || !(qtot > 0)) p.fail(fmt::format("'{}': ig0=, m= and qtot= must be positive", name));
    if (!(n0 > 0 && n0 < 1)) p.fail(fmt::format("'{}': the initial ion content n0= must be inside (0, 1)", name));
  }

  double conductance(double n) const { return gmin + (gmax - gmin) * n; }
  double dConductance() const { return gmax - gmin; }

  // Gate current for gate voltage vg (relative to the channel) and state n, with derivatives.
  struct Gate {
    double i, didv, didn;
  };
  Gate gate(double vg, double n, double temperature) const {
    const double vt = 8.617333262e-5 * temperature;  // kT/q
    // Newton may step n outside (0, 1); the open-circuit potential is taken at the nearest
    // inside value there (its derivative then vanishes).
    constexpr double kEdge = 1e-9;
    const double nn = std::clamp(n, kEdge, 1 - kEdge);
    const double voc = voc0 + vt * std::log(nn / (1 - nn));
    const double dvoc = n == nn ? vt / (nn * (1 - nn)) : 0;
    const double u = (vg - voc) / (2 * m * vt);
    const double s = limited::sinh(u), c = limited::cosh(u);
    return {ig0 * s, ig0 * c / (2 * m * vt), -ig0 * c * dvoc / (2 * m * vt)};
  }
};

}  // namespace memspice::models
