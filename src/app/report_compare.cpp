#include "app/report_compare.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>

#include <fmt/format.h>

#include "config/load.hpp"
#include "core/json_text.hpp"
#include "metrics/results_reader.hpp"

namespace fedhpc {

namespace {

constexpr double kTargets[] = {0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.88, 0.9, 0.95};
constexpr const char* kPhases[] = {"train", "wait", "reduce", "server", "broadcast", "eval", "write", "other"};

std::map<std::string, std::string> settings_of(const std::string& path, const Results& r) {
  const auto stored = r.text.find("config_yaml");
  if (stored == r.text.end()) return {};
  const RunConfig c = load_config(stored->second, path + ":config_yaml", {}, {.stored = true});
  std::map<std::string, std::string> out;
  for (auto& [key, value] : config_values(c)) out[key] = value;
  return out;
}

bool is_setting(const std::string& key) { return key != "seed" && key != "name" && key.rfind("output.", 0) != 0; }

// Keys (in the first run's order, then any others) whose values differ.
std::vector<std::string> differing(const std::vector<std::map<std::string, std::string>>& all) {
  std::vector<std::string> keys;
  for (const auto& s : all)
    for (const auto& [k, _] : s)
      if (is_setting(k) && std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
  std::vector<std::string> out;
  for (const auto& k : keys) {
    auto value = [&](const std::map<std::string, std::string>& s) { auto it = s.find(k); return it == s.end() ? "" : it->second; };
    if (std::any_of(all.begin(), all.end(), [&](const auto& s) { return value(s) != value(all.front()); }))
      out.push_back(k);
  }
  return out;
}

// Rank 0's rounds end every round (it waits for the others, aggregates and
// writes), so its phases, and what they leave unaccounted, tile the run.
std::vector<std::pair<std::string, double>> phase_shares(const Results& r) {
  double part[8] = {};
  double total = 0;
  for (const auto& t : r.timings) {
    if (t.rank != 0) continue;
    const double listed[7] = {t.train_seconds, t.wait_seconds,      t.reduce_seconds, t.server_seconds,
                              t.broadcast_seconds, t.eval_seconds, t.write_seconds};
    double sum = 0;
    for (int i = 0; i < 7; ++i) part[i] += listed[i], sum += listed[i];
    part[7] += std::max(0.0, t.round_seconds + t.write_seconds - sum);
  }
  for (double p : part) total += p;
  std::vector<std::pair<std::string, double>> out;
  if (total <= 0) return out;
  for (int i = 0; i < 8; ++i) out.emplace_back(kPhases[i], part[i] / total);
  return out;
}

RunSummary summarize_run(const std::string& path, const Results& r) {
  RunSummary s;
  s.file = path;
  s.rounds = r.rounds.size();
  s.complete = r.complete;
  s.final_accuracy = std::nan("");
  for (const auto& x : r.rounds) {
    s.wall_seconds += x.wall_seconds;
    if (!std::isnan(x.test_accuracy)) s.final_accuracy = x.test_accuracy;
  }
  if (!r.rounds.empty()) s.simulated_seconds = r.rounds.back().sim_elapsed_seconds;
  s.phase_share = phase_shares(r);
  for (double target : kTargets) {
    ReachedAt at{target};
    for (const auto& x : r.rounds)
      if (!std::isnan(x.test_accuracy) && x.test_accuracy >= target) {
        at = {target, static_cast<long>(x.round), x.sim_elapsed_seconds, x.elapsed_seconds};
        break;
      }
    s.reached.push_back(at);
  }
  return s;
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (const char ch : s) out += ch == '"' ? std::string("\"\"") : std::string(1, ch);
  return out + "\"";
}

// The differing keys a label needs: a key whose values follow from an
// earlier label key's (FedAdam's beta1 from strategy.name) adds nothing.
std::vector<std::size_t> label_keys(const std::vector<RunSummary>& runs, std::size_t num_keys) {
  std::vector<std::size_t> needed;
  auto implied = [&](std::size_t k, std::size_t j) {
    for (const auto& a : runs)
      for (const auto& b : runs)
        if (a.settings[j] == b.settings[j] && a.settings[k] != b.settings[k]) return false;
    return true;
  };
  for (std::size_t k = 0; k < num_keys; ++k)
    if (std::none_of(needed.begin(), needed.end(), [&](std::size_t j) { return implied(k, j); })) needed.push_back(k);
  return needed;
}

}  // namespace

Comparison compare_runs(const std::vector<std::string>& paths) {
  std::vector<Results> results;
  for (const auto& p : paths) results.push_back(read_results(p));
  return compare_runs(paths, results);
}

Comparison compare_runs(const std::vector<std::string>& paths, const std::vector<Results>& results) {
  std::vector<std::map<std::string, std::string>> settings;
  for (std::size_t i = 0; i < paths.size(); ++i) settings.push_back(settings_of(paths[i], results[i]));
  Comparison c;
  c.differs = differing(settings);
  for (std::size_t i = 0; i < paths.size(); ++i) {
    RunSummary s = summarize_run(paths[i], results[i]);
    for (const auto& k : c.differs) {
      const auto it = settings[i].find(k);
      s.settings.push_back(it == settings[i].end() ? "" : it->second);
    }
    c.runs.push_back(std::move(s));
  }
  const auto shown = label_keys(c.runs, c.differs.size());
  for (auto& r : c.runs) {
    for (const std::size_t k : shown) r.label += (r.label.empty() ? "" : ", ") + (r.settings[k].empty() ? "-" : r.settings[k]);
    if (r.label.empty()) r.label = std::filesystem::path(r.file).filename().string();
  }
  return c;
}

void print_comparison_text(const Comparison& c, std::FILE* out) {
  fmt::print(out, "\ndiffers: {}\n", c.differs.empty() ? "nothing but seeds, names or outputs" : "");
  for (std::size_t k = 0; k < c.differs.size(); ++k) {
    fmt::print(out, "  {:<28}", c.differs[k]);
    for (const auto& r : c.runs) fmt::print(out, "  {:>18}", r.settings[k].empty() ? "-" : r.settings[k]);
    fmt::print(out, "\n");
  }
  fmt::print(out, "\nshare of the critical path (rank 0's rounds; sums to 100%)\n  {:<14}", "");
  for (const auto& r : c.runs) fmt::print(out, "  {:>18}", r.label.substr(0, 18));
  fmt::print(out, "\n");
  for (std::size_t p = 0; p < std::size(kPhases); ++p) {
    fmt::print(out, "  {:<14}", kPhases[p]);
    for (const auto& r : c.runs)
      fmt::print(out, "  {:>18}", r.phase_share.empty() ? "-" : fmt::format("{:.1f}%", 100 * r.phase_share[p].second));
    fmt::print(out, "\n");
  }
}

void print_comparison_csv(const Comparison& c, std::FILE* out) {
  fmt::print(out, "file,label");
  for (const auto& k : c.differs) fmt::print(out, ",{}", csv_field(k));
  fmt::print(out, ",final_accuracy,rounds,complete,simulated_seconds,wall_seconds");
  for (const char* p : kPhases) fmt::print(out, ",share_{}", p);
  for (double t : kTargets) fmt::print(out, ",round_to_{}", t);
  fmt::print(out, "\n");
  for (const auto& r : c.runs) {
    fmt::print(out, "{},{}", csv_field(r.file), csv_field(r.label));
    for (const auto& v : r.settings) fmt::print(out, ",{}", csv_field(v));
    fmt::print(out, ",{},{},{},{},{}", std::isnan(r.final_accuracy) ? "" : fmt::format("{}", r.final_accuracy),
               r.rounds, r.complete ? 1 : 0, r.simulated_seconds, r.wall_seconds);
    for (std::size_t p = 0; p < std::size(kPhases); ++p)
      fmt::print(out, ",{}", r.phase_share.empty() ? "" : fmt::format("{}", r.phase_share[p].second));
    for (const auto& at : r.reached) fmt::print(out, ",{}", at.round < 0 ? "" : fmt::format("{}", at.round));
    fmt::print(out, "\n");
  }
}

void print_comparison_json(const Comparison& c, std::FILE* out) {
  fmt::print(out, "{{\"differs\": [");
  for (std::size_t k = 0; k < c.differs.size(); ++k) fmt::print(out, "{}{}", k ? ", " : "", json_string(c.differs[k]));
  fmt::print(out, "],\n \"runs\": [");
  for (std::size_t i = 0; i < c.runs.size(); ++i) {
    const auto& r = c.runs[i];
    fmt::print(out, "{}\n  {{\"file\": {}, \"label\": {}, \"settings\": {{", i ? "," : "", json_string(r.file),
               json_string(r.label));
    for (std::size_t k = 0; k < c.differs.size(); ++k)
      fmt::print(out, "{}{}: {}", k ? ", " : "", json_string(c.differs[k]), json_string(r.settings[k]));
    fmt::print(out, "}},\n   \"final_accuracy\": {}, \"rounds\": {}, \"complete\": {}, \"simulated_seconds\": {}, "
                    "\"wall_seconds\": {},\n   \"phase_share\": {{",
               json_number(r.final_accuracy), r.rounds, r.complete ? "true" : "false",
               json_number(r.simulated_seconds), json_number(r.wall_seconds));
    for (std::size_t p = 0; p < r.phase_share.size(); ++p)
      fmt::print(out, "{}{}: {}", p ? ", " : "", json_string(r.phase_share[p].first),
                 json_number(r.phase_share[p].second));
    fmt::print(out, "}},\n   \"reached\": [");
    for (std::size_t t = 0; t < r.reached.size(); ++t) {
      const auto& at = r.reached[t];
      fmt::print(out, "{}{{\"target\": {}, \"round\": {}, \"simulated_seconds\": {}, \"wall_seconds\": {}}}",
                 t ? ", " : "", at.target, at.round < 0 ? "null" : fmt::format("{}", at.round),
                 at.round < 0 ? "null" : json_number(at.simulated_seconds),
                 at.round < 0 ? "null" : json_number(at.wall_seconds));
    }
    fmt::print(out, "]}}");
  }
  fmt::print(out, "\n]}}\n");
}

}  // namespace fedhpc
