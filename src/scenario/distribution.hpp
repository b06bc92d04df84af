#pragma once
// Draws from the distributions a scenario may name for speeds, bandwidths,
// slowdowns and failure points. Our own formulas over our own Rng: the draws
// are the same on every platform and standard library.
#include <optional>
#include <string>
#include <string_view>

#include "config/schema.hpp"
#include "core/rng.hpp"

namespace fedhpc {

double sample(const Distribution& d, Rng& rng);

// The distribution's mean (infinite for a Pareto shape <= 1).
double mean_of(const Distribution& d);

// Smallest and largest value a draw can take.
double support_min(const Distribution& d);
double support_max(const Distribution& d);

// "lognormal(0, 0.5)", the form parse_distribution reads back.
std::string describe(const Distribution& d);

// Reads "2.5" (constant) or "name(a, b)" / "constant(a)"; on failure returns
// nullopt and says why in `error` (the parameters a family needs, a sigma < 0).
std::optional<Distribution> parse_distribution(std::string_view text, std::string& error);

// A distribution with these parameters is well-formed (uniform a < b, sigma
// >= 0, Pareto shape and scale > 0); "" or the reason it is not.
std::string check_parameters(const Distribution& d);

}  // namespace fedhpc
