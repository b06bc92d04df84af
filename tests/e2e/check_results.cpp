// Asserts properties of results files written by real runs:
//   check_results FILE --rounds N [--min-accuracy X]
//   check_results --same FILE FILE [FILE ...]   (bitwise /model/final, identical per-round metrics,
//                                                identical /clients outcomes)
//   check_results --same-but-secagg FILE FILE [FILE ...]   (as --same, except that each round's
//                                          simulated duration may differ by what secure aggregation
//                                          charged: sim_round_seconds - secagg_seconds agree to 1e-12)
//   check_results --privacy FILE    (epsilon finite and rising round over round, a clip norm each round)
//   check_results --secagg FILE     (secure aggregation's bytes and seconds recorded on every round)
//   check_results --close TOL FILE FILE   (the same outcomes and counts, every float within TOL:
//                                          /model/final relative to its largest value, accuracies
//                                          absolute, losses relative; for runs that differ only by
//                                          rounding, such as grouped against one-at-a-time training)
//   check_results --nobody-survives FILE --rounds N  (every round: all selected clients lost, model unchanged)
//   check_results --count FILE      (prints the number of /rounds rows, -1 if unreadable; a live file is fine)
//   check_results --interrupted FILE [--stopped]
//       (a killed run: not complete, rounds 1..n contiguous, /clients and
//        /timings hold exactly those rounds; --stopped: also a checkpoint of
//        round n and end_utc set, as a SIGTERM leaves it)
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "metrics/results_reader.hpp"

using namespace fedhpc;

namespace {
int fail(const std::string& msg) {
  std::fprintf(stderr, "check_results: FAIL: %s\n", msg.c_str());
  return 1;
}

bool same_double(double a, double b) { return (std::isnan(a) && std::isnan(b)) || std::memcmp(&a, &b, sizeof a) == 0; }

int check_one(const std::string& path, long rounds, double min_accuracy) {
  const Results r = read_results(path);
  if (!r.complete) return fail(path + ": not marked complete");
  if (static_cast<long>(r.rounds.size()) != rounds)
    return fail(path + ": " + std::to_string(r.rounds.size()) + " /rounds rows, expected " + std::to_string(rounds));
  for (std::size_t i = 0; i < r.rounds.size(); ++i)
    if (r.rounds[i].round != i + 1) return fail(path + ": row " + std::to_string(i) + " is not round " + std::to_string(i + 1));
  if (r.final_model.empty()) return fail(path + ": no /model/final");
  if (r.clients.empty()) return fail(path + ": no /clients rows");
  const double acc = r.rounds.back().test_accuracy;
  std::printf("%s: %zu rounds, final test accuracy %.4f, %zu parameters\n", path.c_str(), r.rounds.size(), acc,
              r.final_model.size());
  if (!(acc >= min_accuracy)) return fail(path + ": final accuracy " + std::to_string(acc) + " < " + std::to_string(min_accuracy));
  return 0;
}

// The round's simulated duration without secure aggregation's protocol.
bool same_clock(const RoundRecord& a, const RoundRecord& b, bool secagg_apart) {
  if (!secagg_apart) return same_double(a.sim_round_seconds, b.sim_round_seconds);
  const double x = a.sim_round_seconds - a.secagg_seconds, y = b.sim_round_seconds - b.secagg_seconds;
  return std::fabs(x - y) <= 1e-12 * std::max(1.0, std::fabs(x));
}

int check_same(const std::vector<std::string>& paths, bool secagg_apart = false) {
  const Results ref = read_results(paths[0]);
  if (ref.final_model.empty()) return fail(paths[0] + ": no /model/final");
  for (std::size_t f = 1; f < paths.size(); ++f) {
    const Results r = read_results(paths[f]);
    if (r.final_model.size() != ref.final_model.size()) return fail(paths[f] + ": model size differs");
    if (std::memcmp(r.final_model.data(), ref.final_model.data(), r.final_model.size() * sizeof(float)) != 0) {
      std::size_t i = 0;
      while (std::memcmp(&r.final_model[i], &ref.final_model[i], sizeof(float)) == 0) ++i;
      return fail(paths[f] + ": /model/final differs from " + paths[0] + " first at index " + std::to_string(i));
    }
    if (r.rounds.size() != ref.rounds.size()) return fail(paths[f] + ": round count differs");
    for (std::size_t i = 0; i < r.rounds.size(); ++i) {
      const auto &a = ref.rounds[i], &b = r.rounds[i];
      if (!same_double(a.test_accuracy, b.test_accuracy) || !same_double(a.test_loss, b.test_loss) ||
          !same_double(a.train_loss, b.train_loss) || !same_clock(a, b, secagg_apart) ||
          a.clients_selected != b.clients_selected || a.clients_completed != b.clients_completed ||
          a.clients_partial != b.clients_partial || a.clients_dropped != b.clients_dropped ||
          a.clients_late != b.clients_late || a.clients_unavailable != b.clients_unavailable ||
          a.adversaries_sampled != b.adversaries_sampled ||
          !same_double(a.adversaries_aggregated, b.adversaries_aggregated) ||
          !same_double(a.backdoor_accuracy, b.backdoor_accuracy) || a.clients_aggregated != b.clients_aggregated ||
          !same_double(a.epsilon, b.epsilon) || !same_double(a.clip_norm, b.clip_norm) ||
          !same_double(a.update_norm, b.update_norm))
        return fail(paths[f] + ": round " + std::to_string(i + 1) + " metrics differ from " + paths[0]);
    }
    // Every client's outcome: which rank trained it may differ, nothing else.
    if (r.clients.size() != ref.clients.size()) return fail(paths[f] + ": /clients row count differs");
    for (std::size_t i = 0; i < r.clients.size(); ++i) {
      const auto &a = ref.clients[i], &b = r.clients[i];
      if (a.round != b.round || a.client != b.client || a.status != b.status || a.steps != b.steps ||
          a.num_samples != b.num_samples || !same_double(a.loss, b.loss) || !same_double(a.weight, b.weight) ||
          !same_double(a.sim_download_seconds, b.sim_download_seconds) ||
          !same_double(a.sim_compute_seconds, b.sim_compute_seconds) ||
          !same_double(a.sim_upload_seconds, b.sim_upload_seconds) || a.adversary != b.adversary)
        return fail(paths[f] + ": /clients row " + std::to_string(i) + " (round " + std::to_string(b.round) +
                    ", client " + std::to_string(b.client) + ") differs from " + paths[0]);
    }
    std::printf("%s: identical to %s (%zu parameters, %zu rounds)\n", paths[f].c_str(), paths[0].c_str(),
                r.final_model.size(), r.rounds.size());
  }
  return 0;
}
int check_privacy(const std::string& path) {
  const Results r = read_results(path);
  if (r.rounds.size() < 2) return fail(path + ": fewer than 2 rounds");
  for (std::size_t i = 0; i < r.rounds.size(); ++i) {
    const auto& x = r.rounds[i];
    if (!std::isfinite(x.epsilon) || !(x.epsilon > 0) || !(x.clip_norm > 0))
      return fail(path + ": round " + std::to_string(x.round) + " has epsilon " + std::to_string(x.epsilon) +
                  ", clip norm " + std::to_string(x.clip_norm));
    if (i > 0 && !(x.epsilon > r.rounds[i - 1].epsilon))
      return fail(path + ": epsilon does not rise at round " + std::to_string(x.round));
  }
  std::printf("%s: epsilon %.4f after round 1, %.4f after round %u\n", path.c_str(), r.rounds.front().epsilon,
              r.rounds.back().epsilon, r.rounds.back().round);
  return 0;
}

int check_secagg(const std::string& path) {
  const Results r = read_results(path);
  if (r.rounds.empty()) return fail(path + ": no rounds");
  for (const auto& x : r.rounds)
    if (x.secagg_bytes == 0 || !(x.secagg_seconds > 0) || !(x.secagg_seconds < x.sim_round_seconds))
      return fail(path + ": round " + std::to_string(x.round) + " records secure aggregation's bytes " +
                  std::to_string(x.secagg_bytes) + " and seconds " + std::to_string(x.secagg_seconds));
  std::printf("%s: %llu protocol bytes in round 1\n", path.c_str(),
              static_cast<unsigned long long>(r.rounds.front().secagg_bytes));
  return 0;
}

bool close(double a, double b, double tol) { return (std::isnan(a) && std::isnan(b)) || std::fabs(a - b) <= tol; }

int check_close(double tol, const std::string& path_a, const std::string& path_b) {
  const Results a = read_results(path_a), b = read_results(path_b);
  const std::string pair = path_b + " against " + path_a;
  if (a.final_model.empty() || a.final_model.size() != b.final_model.size()) return fail(pair + ": model sizes differ");
  double scale = 0.0, worst = 0.0;
  for (std::size_t i = 0; i < a.final_model.size(); ++i) {
    scale = std::max(scale, static_cast<double>(std::fabs(a.final_model[i])));
    worst = std::max(worst, static_cast<double>(std::fabs(a.final_model[i] - b.final_model[i])));
  }
  if (!(worst <= tol * scale)) return fail(pair + ": /model/final differs by " + std::to_string(worst));
  if (a.rounds.size() != b.rounds.size()) return fail(pair + ": round count differs");
  for (std::size_t i = 0; i < a.rounds.size(); ++i) {
    const auto &x = a.rounds[i], &y = b.rounds[i];
    if (x.clients_selected != y.clients_selected || x.clients_completed != y.clients_completed ||
        x.clients_partial != y.clients_partial || x.clients_dropped != y.clients_dropped ||
        x.clients_late != y.clients_late || x.clients_unavailable != y.clients_unavailable ||
        !close(x.test_accuracy, y.test_accuracy, tol) || !close(x.test_loss, y.test_loss, tol * std::fabs(x.test_loss)) ||
        !close(x.train_loss, y.train_loss, tol * std::fabs(x.train_loss)))
      return fail(pair + ": round " + std::to_string(i + 1) + " differs beyond " + std::to_string(tol));
  }
  if (a.clients.size() != b.clients.size()) return fail(pair + ": /clients row count differs");
  for (std::size_t i = 0; i < a.clients.size(); ++i) {
    const auto &x = a.clients[i], &y = b.clients[i];
    if (x.round != y.round || x.client != y.client || x.status != y.status || x.steps != y.steps ||
        x.num_samples != y.num_samples || !close(x.loss, y.loss, tol * std::fabs(x.loss)))
      return fail(pair + ": /clients row " + std::to_string(i) + " differs");
  }
  std::printf("%s: within %g of %s (largest model difference %.3g of %.3g)\n", path_b.c_str(), tol, path_a.c_str(),
              worst, scale);
  return 0;
}

// A run in which every selected client is lost each round: all recorded,
// nothing aggregated, no NaN in the model, and the model never moves (every
// evaluation gives the same numbers).
int check_nobody_survives(const std::string& path, long rounds) {
  const Results r = read_results(path);
  if (!r.complete) return fail(path + ": not marked complete");
  if (static_cast<long>(r.rounds.size()) != rounds)
    return fail(path + ": " + std::to_string(r.rounds.size()) + " /rounds rows, expected " + std::to_string(rounds));
  double acc = NAN;
  for (const auto& row : r.rounds) {
    const auto lost = row.clients_dropped + row.clients_late + row.clients_unavailable;
    if (row.clients_selected == 0 || lost != row.clients_selected || row.clients_aggregated != 0)
      return fail(path + ": round " + std::to_string(row.round) + " kept clients");
    if (!std::isnan(row.test_accuracy)) {
      if (!std::isnan(acc) && row.test_accuracy != acc)
        return fail(path + ": the model changed in round " + std::to_string(row.round));
      acc = row.test_accuracy;
    }
  }
  for (float v : r.final_model)
    if (!std::isfinite(v)) return fail(path + ": non-finite value in /model/final");
  if (r.clients.size() != static_cast<std::size_t>(rounds) * r.rounds.front().clients_selected)
    return fail(path + ": expected one /clients row per selected client per round");
  std::printf("%s: %ld rounds, nobody survived, model unchanged (accuracy %.4f)\n", path.c_str(), rounds, acc);
  return 0;
}
int check_interrupted(const std::string& path, bool stopped) {
  const Results r = read_results(path);
  if (r.complete) return fail(path + ": marked complete, but the run was interrupted");
  if (r.rounds.empty()) return fail(path + ": no rounds recorded");
  for (std::size_t i = 0; i < r.rounds.size(); ++i)
    if (r.rounds[i].round != i + 1) return fail(path + ": row " + std::to_string(i) + " is not round " + std::to_string(i + 1));
  const auto n = r.rounds.size();
  for (const auto& c : r.clients)
    if (c.round < 1 || c.round > n) return fail(path + ": a /clients row of round " + std::to_string(c.round));
  if (r.clients.empty() || r.clients.back().round != n) return fail(path + ": /clients rows missing for round " + std::to_string(n));
  if (r.timings.empty() || r.timings.back().round != n) return fail(path + ": /timings rows missing for round " + std::to_string(n));
  if (!r.final_model.empty()) return fail(path + ": a final model, but the run did not finish");
  if (stopped) {
    if (r.checkpoint_rounds.empty() || r.checkpoint_rounds.back() != n)
      return fail(path + ": no checkpoint of the last round " + std::to_string(n));
    if (r.text.count("end_utc") == 0 || r.text.at("end_utc").empty()) return fail(path + ": end_utc not set");
  }
  std::printf("%s: interrupted after %zu rounds, every one recorded; latest checkpoint after round %u\n", path.c_str(), n,
              r.checkpoint_rounds.empty() ? 0u : r.checkpoint_rounds.back());
  return 0;
}
}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  try {
    if (!args.empty() && args[0] == "--same") {
      if (args.size() < 3) return fail("--same needs at least two files");
      return check_same({args.begin() + 1, args.end()});
    }
    if (!args.empty() && args[0] == "--same-but-secagg") {
      if (args.size() < 3) return fail("--same-but-secagg needs at least two files");
      return check_same({args.begin() + 1, args.end()}, true);
    }
    if (args.size() == 2 && args[0] == "--privacy") return check_privacy(args[1]);
    if (args.size() == 2 && args[0] == "--secagg") return check_secagg(args[1]);
    if (args.size() == 4 && args[0] == "--close") return check_close(std::stod(args[1]), args[2], args[3]);
    if (args.size() == 2 && args[0] == "--count") {
      std::printf("%ld\n", count_rounds(args[1]));
      return 0;
    }
    if (args.size() >= 2 && args[0] == "--interrupted")
      return check_interrupted(args[1], args.size() > 2 && args[2] == "--stopped");
    long rounds = -1;
    double min_acc = 0.0;
    bool nobody = false;
    std::string path;
    for (std::size_t i = 0; i < args.size(); ++i) {
      if (args[i] == "--rounds" && i + 1 < args.size()) rounds = std::stol(args[++i]);
      else if (args[i] == "--min-accuracy" && i + 1 < args.size()) min_acc = std::stod(args[++i]);
      else if (args[i] == "--nobody-survives") nobody = true;
      else path = args[i];
    }
    if (path.empty() || rounds < 0) return fail("usage: check_results FILE --rounds N [--min-accuracy X]");
    return nobody ? check_nobody_survives(path, rounds) : check_one(path, rounds, min_acc);
  } catch (const std::exception& e) {
    return fail(e.what());
  }
}
