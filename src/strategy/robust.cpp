#include "strategy/robust.hpp"

#include <algorithm>
#include <numeric>

#include "core/error.hpp"
#include "core/fixed_point.hpp"

namespace fedhpc {

namespace {
std::size_t width_of(std::span<const float> rows, std::size_t num_rows) {
  FEDHPC_CHECK(num_rows > 0 && rows.size() % num_rows == 0, "{} values are not {} rows", rows.size(), num_rows);
  return rows.size() / num_rows;
}

// The K values of coordinate j, sorted ascending.
void sorted_column(std::span<const float> rows, std::size_t num_rows, std::size_t width, std::size_t j,
                   std::vector<float>& column) {
  column.resize(num_rows);
  for (std::size_t k = 0; k < num_rows; ++k) column[k] = rows[k * width + j];
  std::sort(column.begin(), column.end());
}
}  // namespace

void coordinate_median(std::span<const float> rows, std::size_t num_rows, std::span<double> out) {
  const std::size_t width = width_of(rows, num_rows);
  FEDHPC_CHECK(out.size() == width, "median output {} vs slice {}", out.size(), width);
  std::vector<float> column;
  for (std::size_t j = 0; j < width; ++j) {
    sorted_column(rows, num_rows, width, j, column);
    const std::size_t mid = num_rows / 2;
    out[j] = num_rows % 2 == 1 ? static_cast<double>(column[mid])
                               : (static_cast<double>(column[mid - 1]) + static_cast<double>(column[mid])) / 2.0;
  }
}

std::size_t trimmed_count(std::size_t num_rows, double fraction) {
  return static_cast<std::size_t>(fraction * static_cast<double>(num_rows));
}

void coordinate_trimmed_mean(std::span<const float> rows, std::size_t num_rows, std::size_t trim_count,
                             std::span<double> out) {
  const std::size_t width = width_of(rows, num_rows);
  FEDHPC_CHECK(out.size() == width, "trimmed mean output {} vs slice {}", out.size(), width);
  FEDHPC_CHECK(2 * trim_count < num_rows, "cannot trim {} from each end of {} values", trim_count, num_rows);
  std::vector<float> column;
  const double kept = static_cast<double>(num_rows - 2 * trim_count);
  for (std::size_t j = 0; j < width; ++j) {
    sorted_column(rows, num_rows, width, j, column);
    double sum = 0.0;
    for (std::size_t k = trim_count; k < num_rows - trim_count; ++k) sum += static_cast<double>(column[k]);
    out[j] = sum / kept;
  }
}

std::uint64_t flagged_values_kept(std::span<const float> rows, std::size_t num_rows,
                                  std::span<const std::uint8_t> flagged, std::size_t kept) {
  const std::size_t width = width_of(rows, num_rows);
  FEDHPC_CHECK(flagged.size() == num_rows && kept <= num_rows, "{} flags, {} kept of {} rows", flagged.size(), kept,
               num_rows);
  const std::size_t lo = (num_rows - kept) / 2, hi = lo + kept;
  std::vector<std::size_t> order(num_rows);
  std::uint64_t total = 0;
  for (std::size_t j = 0; j < width; ++j) {
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      const float va = rows[a * width + j], vb = rows[b * width + j];
      return va < vb || (va == vb && a < b);
    });
    for (std::size_t r = lo; r < hi; ++r) total += flagged[order[r]];
  }
  return total;
}

void add_pairwise_sqdist(std::span<const float> rows, std::size_t num_rows, std::size_t first_coordinate,
                         std::span<std::int64_t> sqdist) {
  const std::size_t width = width_of(rows, num_rows);
  FEDHPC_CHECK(sqdist.size() == num_rows * num_rows, "distance matrix {} vs {} rows", sqdist.size(), num_rows);
  FEDHPC_CHECK(first_coordinate % kDistanceBlock == 0, "slice starts at {}, not on a block boundary",
               first_coordinate);
  for (std::size_t i = 0; i < num_rows; ++i) {
    for (std::size_t j = i + 1; j < num_rows; ++j) {
      const float* a = rows.data() + i * width;
      const float* b = rows.data() + j * width;
      std::int64_t total = 0;
      for (std::size_t lo = 0; lo < width; lo += kDistanceBlock) {
        const std::size_t hi = std::min(width, lo + kDistanceBlock);
        double block = 0.0;
        for (std::size_t c = lo; c < hi; ++c) {
          const double diff = static_cast<double>(a[c]) - static_cast<double>(b[c]);
          block += diff * diff;
        }
        if (!fits_fixed(block, kDistanceFixedBits) || !fits_fixed(from_fixed(total, kDistanceFixedBits) + block, kDistanceFixedBits))
          throw DivergedError(fmt::format("squared distance between cohort updates {} and {} exceeds the exact reduction's "
                                  "range (2^{}): training diverged, or use runtime.reduce=fast",
                                  i, j, 62 - kDistanceFixedBits));
        total += to_fixed(block, kDistanceFixedBits);
      }
      sqdist[i * num_rows + j] += total;
      sqdist[j * num_rows + i] += total;
    }
  }
}

std::vector<double> krum_scores(std::span<const double> sqdist, std::size_t num_rows, int byzantine_f) {
  FEDHPC_CHECK(sqdist.size() == num_rows * num_rows, "distance matrix {} vs {} rows", sqdist.size(), num_rows);
  const long long neighbours = static_cast<long long>(num_rows) - byzantine_f - 2;
  FEDHPC_CHECK(neighbours >= 1, "Krum needs more than 2f + 2 clients: {} with f = {}", num_rows, byzantine_f);
  std::vector<double> scores(num_rows, 0.0), others;
  for (std::size_t i = 0; i < num_rows; ++i) {
    others.clear();
    for (std::size_t j = 0; j < num_rows; ++j)
      if (j != i) others.push_back(sqdist[i * num_rows + j]);
    std::sort(others.begin(), others.end());
    for (long long k = 0; k < neighbours; ++k) scores[i] += others[static_cast<std::size_t>(k)];
  }
  return scores;
}

std::vector<std::uint8_t> krum_select(std::span<const double> scores, std::size_t m) {
  FEDHPC_CHECK(m >= 1 && m <= scores.size(), "cannot select {} of {} clients", m, scores.size());
  std::vector<std::size_t> order(scores.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return scores[a] < scores[b]; });
  std::vector<std::uint8_t> keep(scores.size(), 0);
  for (std::size_t k = 0; k < m; ++k) keep[order[k]] = 1;
  return keep;
}

}  // namespace fedhpc
