// Asserts properties of results files written by real runs:
//   check_results FILE --rounds N [--min-accuracy X]
//   check_results --same FILE FILE [FILE ...]   (bitwise /model/final, identical per-round metrics)
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

int check_same(const std::vector<std::string>& paths) {
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
          !same_double(a.train_loss, b.train_loss))
        return fail(paths[f] + ": round " + std::to_string(i + 1) + " metrics differ from " + paths[0]);
    }
    std::printf("%s: identical to %s (%zu parameters, %zu rounds)\n", paths[f].c_str(), paths[0].c_str(),
                r.final_model.size(), r.rounds.size());
  }
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
    long rounds = -1;
    double min_acc = 0.0;
    std::string path;
    for (std::size_t i = 0; i < args.size(); ++i) {
      if (args[i] == "--rounds" && i + 1 < args.size()) rounds = std::stol(args[++i]);
      else if (args[i] == "--min-accuracy" && i + 1 < args.size()) min_acc = std::stod(args[++i]);
      else path = args[i];
    }
    if (path.empty() || rounds < 0) return fail("usage: check_results FILE --rounds N [--min-accuracy X]");
    return check_one(path, rounds, min_acc);
  } catch (const std::exception& e) {
    return fail(e.what());
  }
}
