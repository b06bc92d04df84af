#pragma once
// Portable randomness. Every draw in fedhpc comes from a generator seeded by
// derive_seed(master, stream, round, client), so a result never depends on the
// rank count, the placement of clients or the order they run in. The
// distributions are our own: std::*_distribution is implementation-defined, so
// two standard libraries would draw different partitions from one seed.
#include <cstdint>
#include <span>
#include <vector>

#include "core/types.hpp"

namespace fedhpc {

enum class Stream : std::uint32_t {
  Partition = 1,
  Selection = 2,
  Scenario = 3,
  Train = 4,
  Init = 5,
  Data = 6,
  Adversary = 7,  // who is adversarial (round 0)
  Attack = 8,     // an attack's draws (noise, poisoned samples)
  Privacy = 9,    // DP noise (client 0: the server's)
  SecureAggregation = 10,  // simulated key agreement: pairwise and self mask seeds
};

// SplitMix64 finalizer: a bijective avalanche mix of 64 bits.
constexpr std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

// Folds each component through the mixer so nearby inputs give unrelated seeds.
constexpr std::uint64_t derive_seed(std::uint64_t master, Stream stream, std::uint32_t round, std::uint32_t client) {
  std::uint64_t h = splitmix64(master);
  h = splitmix64(h ^ static_cast<std::uint64_t>(stream));
  h = splitmix64(h ^ round);
  h = splitmix64(h ^ client);
  return h;
}
constexpr std::uint64_t derive_seed(std::uint64_t master, Stream stream, Round round, ClientId client) {
  return derive_seed(master, stream, to_int(round), to_int(client));
}

// xoshiro256** (Blackman & Vigna): small, fast, and its output is specified bit
// for bit, so draws are identical on every platform.
class Rng {
 public:
  explicit Rng(std::uint64_t seed);

  std::uint64_t next_u64();
  double uniform();                              // [0, 1), 53 random bits
  std::uint64_t uniform_int(std::uint64_t n);    // [0, n), unbiased; n > 0
  double normal();                               // N(0, 1), Box-Muller
  double normal(double mean, double stddev) { return mean + stddev * normal(); }
  double gamma(double shape);                    // Gamma(shape, 1), Marsaglia-Tsang
  std::vector<double> dirichlet(std::span<const double> alpha);
  std::vector<double> dirichlet(std::size_t n, double alpha);

  template <class T>
  void shuffle(std::vector<T>& v) {  // Fisher-Yates
    for (std::size_t i = v.size(); i > 1; --i) {
      std::size_t j = static_cast<std::size_t>(uniform_int(i));
      std::swap(v[i - 1], v[j]);
    }
  }
  std::vector<std::int64_t> permutation(std::int64_t n);

 private:
  std::uint64_t s_[4];
  double spare_normal_ = 0.0;
  bool has_spare_ = false;
};

}  // namespace fedhpc
