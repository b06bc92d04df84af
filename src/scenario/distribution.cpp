#include "scenario/distribution.hpp"

#include <cmath>
#include <limits>
#include <vector>

#include <fmt/format.h>

#include "core/parse_number.hpp"

namespace fedhpc {

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::optional<double> to_double(std::string_view s) {
  const auto v = parse_number<double>(trim(s));
  if (!v || !std::isfinite(*v)) return std::nullopt;
  return v;
}

struct Family {
  const char* name;
  DistributionKind kind;
  int params;
  const char* signature;
};
constexpr Family kFamilies[] = {
    {"constant", DistributionKind::Constant, 1, "constant(value)"},
    {"uniform", DistributionKind::Uniform, 2, "uniform(low, high)"},
    {"lognormal", DistributionKind::Lognormal, 2, "lognormal(mu, sigma)"},
    {"pareto", DistributionKind::Pareto, 2, "pareto(shape, scale)"},
};
}  // namespace

double sample(const Distribution& d, Rng& rng) {
  switch (d.kind) {
    case DistributionKind::Constant: return d.a;
    case DistributionKind::Uniform: return d.a + (d.b - d.a) * rng.uniform();
    case DistributionKind::Lognormal: return std::exp(d.a + d.b * rng.normal());
    // Inverse CDF: x_m (1 - U)^(-1/alpha); 1 - U lies in (0, 1], so x >= x_m.
    case DistributionKind::Pareto: return d.b * std::pow(1.0 - rng.uniform(), -1.0 / d.a);
  }
  return d.a;
}

double mean_of(const Distribution& d) {
  switch (d.kind) {
    case DistributionKind::Constant: return d.a;
    case DistributionKind::Uniform: return 0.5 * (d.a + d.b);
    case DistributionKind::Lognormal: return std::exp(d.a + 0.5 * d.b * d.b);
    case DistributionKind::Pareto: return d.a <= 1.0 ? kInf : d.a * d.b / (d.a - 1.0);
  }
  return d.a;
}

double support_min(const Distribution& d) {
  switch (d.kind) {
    case DistributionKind::Constant:
    case DistributionKind::Uniform: return d.a;
    case DistributionKind::Lognormal: return d.b == 0.0 ? std::exp(d.a) : 0.0;
    case DistributionKind::Pareto: return d.b;
  }
  return d.a;
}

double support_max(const Distribution& d) {
  switch (d.kind) {
    case DistributionKind::Constant: return d.a;
    case DistributionKind::Uniform: return d.b;
    case DistributionKind::Lognormal: return d.b == 0.0 ? std::exp(d.a) : kInf;
    case DistributionKind::Pareto: return kInf;
  }
  return d.a;
}

std::string describe(const Distribution& d) {
  if (d.kind == DistributionKind::Constant) return fmt::format("constant({})", d.a);
  return fmt::format("{}({}, {})", to_string(d.kind), d.a, d.b);
}

std::string check_parameters(const Distribution& d) {
  switch (d.kind) {
    case DistributionKind::Constant: return "";
    case DistributionKind::Uniform:
      return d.a < d.b ? "" : fmt::format("uniform(low, high) needs low < high, found {} and {}", d.a, d.b);
    case DistributionKind::Lognormal:
      return d.b >= 0.0 ? "" : fmt::format("lognormal(mu, sigma) needs sigma >= 0, found {}", d.b);
    case DistributionKind::Pareto:
      return d.a > 0.0 && d.b > 0.0
                 ? ""
                 : fmt::format("pareto(shape, scale) needs shape > 0 and scale > 0, found {} and {}", d.a, d.b);
  }
  return "";
}

std::optional<Distribution> parse_distribution(std::string_view text, std::string& error) {
  text = trim(text);
  if (auto v = to_double(text)) return Distribution{DistributionKind::Constant, *v, 0.0};
  const auto open = text.find('(');
  std::string families;
  for (const auto& f : kFamilies) families += (families.empty() ? "" : ", ") + std::string(f.signature);
  if (open == std::string_view::npos || text.back() != ')') {
    error = fmt::format("expected a number or one of {}, found '{}'", families, text);
    return std::nullopt;
  }
  const std::string_view name = trim(text.substr(0, open));
  const Family* family = nullptr;
  for (const auto& f : kFamilies)
    if (name == f.name) family = &f;
  if (!family) {
    error = fmt::format("expected one of {}, found '{}'", families, text);
    return std::nullopt;
  }
  std::vector<double> params;
  std::string_view rest = text.substr(open + 1, text.size() - open - 2);
  while (true) {
    const auto comma = rest.find(',');
    auto v = to_double(rest.substr(0, comma));
    if (!v) {
      error = fmt::format("expected {} with numbers, found '{}'", family->signature, text);
      return std::nullopt;
    }
    params.push_back(*v);
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  if (static_cast<int>(params.size()) != family->params) {
    error = fmt::format("expected {} ({} parameter{}), found '{}'", family->signature, family->params,
                        family->params == 1 ? "" : "s", text);
    return std::nullopt;
  }
  Distribution d{family->kind, params[0], params.size() > 1 ? params[1] : 0.0};
  if (error = check_parameters(d); !error.empty()) return std::nullopt;
  return d;
}

}  // namespace fedhpc
