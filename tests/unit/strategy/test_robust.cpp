// The share of adversaries' values a coordinate-wise rule keeps.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "strategy/robust.hpp"

using namespace fedhpc;

// Three clients, two coordinates; client 2 is flagged. Coordinate 0:
// 1 (c0), 5 (c1), 3 (c2): the median keeps c2's 3. Coordinate 1: 9, 0, 4: the
// median keeps c2's 4. A trimmed band of all three keeps both.
TEST(FlaggedValuesKept, CountsTheFlaggedRowsInTheKeptBand) {
  const std::vector<float> rows{1, 9, 5, 0, 3, 4};
  const std::vector<std::uint8_t> flagged{0, 0, 1};
  EXPECT_EQ(flagged_values_kept(rows, 3, flagged, 1), 2u);
  EXPECT_EQ(flagged_values_kept(rows, 3, flagged, 3), 2u);
  const std::vector<std::uint8_t> first{1, 0, 0};
  EXPECT_EQ(flagged_values_kept(rows, 3, first, 1), 0u);  // c0 is the smallest, then the largest
  // Ties go by cohort order: three equal values, the middle one is row 1.
  const std::vector<float> same{2, 2, 2};
  EXPECT_EQ(flagged_values_kept(same, 3, std::vector<std::uint8_t>{0, 1, 0}, 1), 1u);
}
