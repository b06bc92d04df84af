#include <gtest/gtest.h>

#include "data/normalize.hpp"
#include "unit/input_error_of.hpp"

using namespace fedhpc;

TEST(Normalize, EachChannelWithItsOwnMeanAndStd) {
  Dataset d;
  d.sample_shape = {2, 1, 2};  // two channels of two values
  d.num_classes = 2;
  d.features = {1.0f, 3.0f, 10.0f, 30.0f, 5.0f, 7.0f, 20.0f, 40.0f};
  d.labels = {0, 1};
  normalize(d, NormalizeConfig{{1.0, 10.0}, {2.0, 10.0}});
  EXPECT_EQ(d.features, (std::vector<float>{0.0f, 1.0f, 0.0f, 2.0f, 2.0f, 3.0f, 1.0f, 3.0f}));
}

TEST(Normalize, OneValueForEveryChannelAsPyTorchDivides) {
  Dataset d;
  d.sample_shape = {3};
  d.num_classes = 2;
  d.features = {0.0f, 0.5f, 1.0f};
  d.labels = {0};
  normalize(d, NormalizeConfig{{0.2860}, {0.3530}});
  for (std::size_t i = 0; i < 3; ++i) {
    const float x = 0.5f * static_cast<float>(i);
    EXPECT_EQ(d.features[i], (x - 0.2860f) / 0.3530f);  // the division, not a reciprocal's product
  }
}

TEST(Normalize, NothingWhenUnsetAndTheChannelCountChecked) {
  Dataset d;
  d.sample_shape = {1, 2, 2};
  d.num_classes = 2;
  d.features = {1, 2, 3, 4};
  d.labels = {0};
  normalize(d, NormalizeConfig{});
  EXPECT_EQ(d.features, (std::vector<float>{1, 2, 3, 4}));
  EXPECT_EQ(test_support::input_error_of([&] { normalize(d, NormalizeConfig{{0.1, 0.2}, {1, 1}}); }),
            "data.normalize.mean: expected 1 value (the data has one channel), found 2");
}
