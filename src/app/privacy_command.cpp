#include "app/privacy_command.hpp"

#include <cmath>
#include <cstdio>
#include <optional>
#include <sstream>

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/parse_number.hpp"
#include "privacy/rdp_accountant.hpp"

namespace fedhpc {

namespace {

double number_of(const std::string& flag, const std::string& text) {
  const auto v = parse_number<double>(text);
  if (!v || !std::isfinite(*v)) throw InputError(fmt::format("privacy: {}: expected a number, found '{}'", flag, text));
  return *v;
}

struct Query {
  std::optional<double> rate, sigma, steps;
  double delta = 1e-5;
  std::vector<double> orders = default_rdp_orders();
};

Query parse(const std::vector<std::string>& flags) {
  Query q;
  for (std::size_t i = 0; i < flags.size(); ++i) {
    const std::string& f = flags[i];
    if (i + 1 >= flags.size())
      throw InputError(fmt::format("privacy: {} needs a value", f));
    const std::string& v = flags[++i];
    if (f == "--sampling-rate") {
      q.rate = number_of(f, v);
      if (*q.rate < 0 || *q.rate > 1) throw InputError(fmt::format("privacy: {}: expected a number in [0, 1], found {}", f, v));
    } else if (f == "--noise-multiplier") {
      q.sigma = number_of(f, v);
      if (*q.sigma < 0) throw InputError(fmt::format("privacy: {}: expected a number >= 0, found {}", f, v));
    } else if (f == "--steps") {
      q.steps = number_of(f, v);
      if (*q.steps < 0 || *q.steps != std::floor(*q.steps) || *q.steps > 1e12)
        throw InputError(fmt::format("privacy: {}: expected a whole number of steps >= 0, found {}", f, v));
    } else if (f == "--delta") {
      q.delta = number_of(f, v);
      if (q.delta <= 0 || q.delta >= 1) throw InputError(fmt::format("privacy: {}: expected a number in (0, 1), found {}", f, v));
    } else if (f == "--orders") {
      q.orders.clear();
      std::stringstream list(v);
      for (std::string item; std::getline(list, item, ',');) {
        const double a = number_of(f, item);
        if (a <= 1) throw InputError(fmt::format("privacy: {}: expected orders above 1, found {}", f, item));
        q.orders.push_back(a);
      }
    } else {
      throw InputError(fmt::format("privacy: unknown option '{}' (see fedhpc privacy --help)", f));
    }
  }
  for (const auto& [flag, given] : {std::pair{"--sampling-rate", q.rate.has_value()},
                                    std::pair{"--noise-multiplier", q.sigma.has_value()},
                                    std::pair{"--steps", q.steps.has_value()}})
    if (!given) throw InputError(fmt::format("privacy: {} is required (see fedhpc privacy --help)", flag));
  return q;
}

}  // namespace

int privacy_command(const std::vector<std::string>& flags) {
  const Query q = parse(flags);
  const auto rdp = rdp_composed(*q.rate, *q.sigma, static_cast<std::int64_t>(*q.steps), q.orders);
  for (std::size_t i = 0; i < q.orders.size(); ++i) fmt::print("{} {:.10g}\n", q.orders[i], rdp[i]);
  const EpsilonAt e = epsilon_from_rdp(q.orders, rdp, q.delta);
  fmt::print("epsilon {:.10g} order {}\n", e.epsilon, e.order);
  return kExitOk;
}

}  // namespace fedhpc
